package io.ocimount.policy;

import io.ocimount.policy.signature.SignedIdentity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.ref.Reference;
import org.junit.jupiter.api.Test;

/**
 * Each signedIdentity against pulls by tag and by digest, another repository, and Docker Hub's two spellings. A
 * cosign signature names a bare repository ({@link #repo}); a tagged signed name stands for other signers.
 */
class SignedIdentityTest {
    static final String DIGEST = "sha256:" + "cd".repeat(32);
    static final Reference BY_TAG = Reference.parse("quay.io/org/app:v1");
    static final Reference BY_DIGEST = Reference.parse("quay.io/org/app@" + DIGEST);
    static final Reference SIGNED = repo("quay.io/org/app");
    static final Reference OTHER = repo("quay.io/org/other");

    /** A signed name as cosign writes it: the repository alone, normalised. */
    static Reference repo(String name) {
        Reference r = Reference.parse(name);
        return new Reference(r.domain(), r.path(), null, null);
    }

    @Test
    void matchRepositoryAcceptsTheSameRepositoryWhateverWasPulled() {
        SignedIdentity id = new MatchRepository();
        assertTrue(id.accepts(BY_TAG, SIGNED));
        assertTrue(id.accepts(BY_DIGEST, SIGNED));
        assertTrue(id.accepts(BY_TAG, Reference.parse("quay.io/org/app:v9")));
        assertFalse(id.accepts(BY_TAG, OTHER));
        assertFalse(id.accepts(BY_DIGEST, repo("ghcr.io/org/app")));
        assertEquals("matchRepository", id.describe());
    }

    @Test
    void dockerHubSpellingsAreTheSameRepository() {
        SignedIdentity id = new MatchRepository();
        assertTrue(id.accepts(Reference.parse("busybox"), repo("index.docker.io/library/busybox")));
        assertTrue(id.accepts(Reference.parse("docker.io/library/busybox@" + DIGEST), repo("busybox")));
        assertFalse(id.accepts(Reference.parse("busybox"), repo("index.docker.io/someone/busybox")));
    }

    @Test
    void exactRepositoryComparesTheSignedNameWithTheGivenOne() {
        ExactRepository id = new ExactRepository("busybox");
        assertEquals("docker.io/library/busybox", id.dockerRepository());
        assertEquals("exactRepository docker.io/library/busybox", id.describe());
        Reference mirror = Reference.parse("mirror.example.com/hub/busybox:1.36");
        assertTrue(id.accepts(mirror, repo("index.docker.io/library/busybox")));
        assertTrue(id.accepts(BY_DIGEST, repo("busybox")));
        assertFalse(id.accepts(mirror, repo("mirror.example.com/hub/busybox")));
        assertFalse(id.accepts(Reference.parse("busybox"), OTHER));
    }

    @Test
    void exactRepositoryRefusesATagOrDigest() {
        assertThrows(OciMountException.class, () -> new ExactRepository("quay.io/org/app:v1"));
        assertThrows(OciMountException.class, () -> new ExactRepository("quay.io/org/app@" + DIGEST));
        assertThrows(OciMountException.class, () -> new ExactRepository("Not A Repo"));
        assertEquals("quay.io:5000/org/app", new ExactRepository("quay.io:5000/org/app").dockerRepository());
    }

    @Test
    void matchExactNeverAcceptsABareRepository() {
        SignedIdentity id = new MatchExact();
        assertFalse(id.accepts(BY_TAG, SIGNED));
        assertFalse(id.accepts(BY_DIGEST, SIGNED));
        assertEquals("matchExact", id.describe());
    }

    @Test
    void matchExactNeedsTheSameTagOrDigest() {
        SignedIdentity id = new MatchExact();
        assertTrue(id.accepts(BY_TAG, Reference.parse("quay.io/org/app:v1")));
        assertFalse(id.accepts(BY_TAG, Reference.parse("quay.io/org/app:v2")));
        assertTrue(id.accepts(BY_DIGEST, Reference.parse("quay.io/org/app@" + DIGEST)));
        assertFalse(id.accepts(BY_DIGEST, Reference.parse("quay.io/org/app:v1")));
        assertFalse(id.accepts(BY_TAG, Reference.parse("quay.io/org/other:v1")));
        assertTrue(id.accepts(Reference.parse("busybox"), Reference.parse("index.docker.io/library/busybox:latest")));
    }

    @Test
    void matchRepoDigestOrExactNeverAcceptsABareRepositoryAsInContainersImage() {
        SignedIdentity id = new MatchRepoDigestOrExact();
        assertFalse(id.accepts(BY_TAG, SIGNED));
        assertFalse(id.accepts(BY_DIGEST, SIGNED));
        assertEquals("matchRepoDigestOrExact", id.describe());
    }

    @Test
    void matchRepoDigestOrExactByDigestNeedsTheRepositoryAndByTagTheTag() {
        SignedIdentity id = new MatchRepoDigestOrExact();
        assertTrue(id.accepts(BY_DIGEST, Reference.parse("quay.io/org/app:v7")));
        assertFalse(id.accepts(BY_DIGEST, Reference.parse("quay.io/org/other:v7")));
        assertTrue(id.accepts(BY_TAG, Reference.parse("quay.io/org/app:v1")));
        assertFalse(id.accepts(BY_TAG, Reference.parse("quay.io/org/app:v2")));
        assertFalse(id.accepts(BY_TAG, Reference.parse("quay.io/org/app@" + DIGEST)));
        assertTrue(id.accepts(Reference.parse("busybox:1"), Reference.parse("index.docker.io/library/busybox:1")));
    }
}
