package io.ocimount.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.ref.Reference;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scopes tried for a reference, most specific first, and which scope names can ever be tried. */
class ScopesTest {
    static final String DIGEST = "sha256:abababababababababababababababababababababababababababababababab";

    private static List<String> candidates(String ref) {
        return Scopes.candidates(Reference.parse(ref));
    }

    @Test
    void taggedReferenceThenRepositoryNamespacesHostAndWildcards() {
        assertEquals(List.of("quay.io/a/b/c:v1", "quay.io/a/b/c", "quay.io/a/b", "quay.io/a", "quay.io", "*.io"),
                candidates("quay.io/a/b/c:v1"));
    }

    @Test
    void digestReferenceComesFirstWithItsDigest() {
        assertEquals(List.of("quay.io/a/b@" + DIGEST, "quay.io/a/b", "quay.io/a", "quay.io", "*.io"),
                candidates("quay.io/a/b@" + DIGEST));
    }

    @Test
    void dockerHubNamesAreLookedUpExpanded() {
        assertEquals(List.of("docker.io/library/busybox:latest", "docker.io/library/busybox", "docker.io/library",
                "docker.io", "*.io"), candidates("busybox"));
        assertEquals(candidates("busybox"), candidates("index.docker.io/library/busybox:latest"));
    }

    @Test
    void wildcardsWalkUpTheHostWithoutThePort() {
        assertEquals(List.of("a.b.example.com:5000/x:1", "a.b.example.com:5000/x", "a.b.example.com:5000",
                "*.b.example.com", "*.example.com", "*.com"), candidates("a.b.example.com:5000/x:1"));
    }

    @Test
    void hostsWithoutDotsHaveNoWildcards() {
        assertEquals(List.of("localhost:5000/x:1", "localhost:5000/x", "localhost:5000"), candidates("localhost:5000/x:1"));
        assertEquals(List.of("[::1]:5000/x:1", "[::1]:5000/x", "[::1]:5000"), candidates("[::1]:5000/x:1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"quay.io", "quay.io:443", "localhost", "localhost:5000", "registry:5000/x", "[::1]:5000/x",
            "quay.io/org", "quay.io/org/team/app", "quay.io/org/app:v1.2_3", "quay.io/org/app@" + DIGEST,
            "*.example.com", "*.com", "docker.io/library/busybox", "docker.io/bitnami", "quay.io:5000/org"})
    void validScopes(String scope) {
        assertNull(Scopes.whyInvalid(scope));
    }

    @Test
    void everyCandidateIsAValidScope() {
        for (String ref : List.of("busybox", "quay.io:443/a/b:v1", "a.b.example.com/x@" + DIGEST, "[::1]:5000/x:1")) {
            for (String scope : candidates(ref)) {
                assertNull(Scopes.whyInvalid(scope), scope);
            }
        }
    }

    private static void invalid(String scope, String because) {
        String why = Scopes.whyInvalid(scope);
        assertNotNull(why, scope);
        assertTrue(why.contains(because), scope + ": " + why);
    }

    @Test
    void unqualifiedNamesAreRefusedWithTheExpandedForm() {
        invalid("busybox", "not fully qualified");
        invalid("busybox", "\"docker.io/library/busybox\"");
        invalid("busybox:latest", "\"docker.io/library/busybox:latest\"");
        invalid("library/busybox", "\"docker.io/library/busybox\"");
        invalid("bitnami/nginx", "\"docker.io/bitnami/nginx\"");
        invalid("busybox@" + DIGEST, "\"docker.io/library/busybox@" + DIGEST + "\"");
        invalid("index.docker.io/library/busybox", "\"docker.io/library/busybox\"");
    }

    @Test
    void malformedScopesAreRefused() {
        invalid("", "must not be empty");
        invalid("https://quay.io/org", "no scheme");
        invalid("example*.*.com", "only allowed as the first label");
        invalid("quay.io/*", "only allowed as the first label");
        invalid("*.*.example.com", "only allowed as the first label");
        invalid("*.example.com:5000", "without port or path");
        invalid("*.example.com/org", "without port or path");
        invalid("*.", "without port or path");
        invalid("quay.io/Org/app", "repository component \"Org\"");
        invalid("quay.io//app", "repository component \"\"");
        invalid("quay.io/app:v1@" + DIGEST, "not both");
        invalid("quay.io/app@sha256:abc", "sha256:<64");
        invalid("quay.io@" + DIGEST, "needs a repository");
        invalid("quay.io/app:-bad", "not a valid tag");
        invalid("foo:bar/app", "not a valid host[:port]");
        invalid("bad_host.io/app", "not a valid host[:port]");
        invalid("quay.io/" + "a".repeat(1100), "at most 1024");
    }

    @Test
    void anUpperCaseHostIsRefusedSinceReferencesAreMatchedInLowerCase() {
        assertTrue(Scopes.whyInvalid("QUAY.IO/org").contains("\"quay.io/org\""), Scopes.whyInvalid("QUAY.IO/org"));
        assertTrue(Scopes.whyInvalid("*.Example.com").contains("\"*.example.com\""), Scopes.whyInvalid("*.Example.com"));
        assertEquals(List.of("quay.io/org/app:1", "quay.io/org/app", "quay.io/org", "quay.io", "*.io"),
                Scopes.candidates(Reference.parse("QUAY.IO/org/app:1")));
    }
}
