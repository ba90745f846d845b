package io.ocimount.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.policy.audit.Requester;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Platform;
import io.ocimount.registry.Credentials;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TestImages;
import io.ocimount.unpack.LayerLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KEP-2535 without root: an image pulled with credentials is given to another caller only after its registry
 * accepted that caller's credentials (one HEAD, no blob); an image pulled anonymously is anyone's.
 */
class PullAccessTest {
    @TempDir
    Path root;
    FakeRegistry registry;
    ImageService images;
    ImageBuilder.Image image = new ImageBuilder().layer(Map.of("secret.txt", "private bits")).build();
    String ref;

    @BeforeEach
    void start() throws Exception {
        registry = new FakeRegistry("127.0.0.1");
        registry.addImage("team/private", "v1", image);
        registry.requireBasic(Map.of("alice", "alice-pw", "bob", "bob-pw"));
        ref = registry.host() + "/team/private:v1";
        images = service(CredentialVerification.NEVER_VERIFY_PRELOADED_IMAGES);
    }

    @AfterEach
    void stop() {
        images.close();
        registry.close();
    }

    private ImageService service(CredentialVerification policy) {
        return TestImages.create(root, TestImages.registry(), new PullSettings(new Platform("linux", "amd64", ""), 3, 128,
                LayerLimits.defaults(), PullSettings.DEFAULT_STALL_TIMEOUT, PullSettings.DEFAULT_PARTIAL_MAX_AGE, policy));
    }

    private Credentials as(String user, String password) {
        return Credentials.of(registry.host(), user, password, "", "", "");
    }

    /** Checks access and returns the registry requests it made. */
    private List<String> check(ImageRecord r, Credentials creds) {
        int before = registry.requests.size();
        images.checkAccess(images.status(r.id().toString()).orElseThrow(), ref, creds, Cancellation.none());
        return List.copyOf(registry.requests.subList(before, registry.requests.size()));
    }

    private OciMountException refused(ImageRecord r, Credentials creds) {
        OciMountException e = assertThrows(OciMountException.class, () -> check(r, creds));
        assertEquals(ErrorKind.PERMISSION_DENIED, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(ref) && e.getMessage().contains("credentials were not accepted"), e.getMessage());
        return e;
    }

    @Test
    void aPrivateImageIsRefusedWithoutOrWithWrongCredentialsAndServedWithOtherGoodOnesAfterOneHead() {
        ImageRecord r = images.pull(ref, Requester.CLI, as("alice", "alice-pw"), Cancellation.none());
        assertEquals(1, r.pulledWith().size());
        assertTrue(r.pulledWith().get(0).startsWith("hmac-sha256:"), r.pulledWith().toString());
        assertTrue(!r.pulledWith().get(0).contains(Digest.ofString("alice\0alice-pw\0\0").hex()),
                "keyed, not a plain hash a password guess could be checked against");

        refused(r, Credentials.NONE);
        refused(r, as("mallory", "guess"));
        assertEquals(List.of("HEAD /v2/team/private/manifests/" + r.target()), check(r, as("bob", "bob-pw")),
                "one HEAD by digest, no blob");
        assertEquals(List.of(), check(r, as("bob", "bob-pw")), "remembered: not asked again");
        assertEquals(List.of(), check(r, as("alice", "alice-pw")), "the credentials that pulled it");
    }

    @Test
    void aRegistryThatIsDownIsNotTakenForARefusal() {
        ImageRecord r = images.pull(ref, Requester.CLI, as("alice", "alice-pw"), Cancellation.none());
        registry.failNext(50, 503);
        OciMountException e = assertThrows(OciMountException.class, () -> check(r, as("bob", "bob-pw")));
        assertEquals(ErrorKind.UNAVAILABLE, e.kind(), e.getMessage());
    }

    @Test
    void theCredentialKeyIsRootOnlyWhateverItWasAndAFreshOneIsNeverEmpty() throws Exception {
        Path key = root.resolve("meta/credential-key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(32, Files.size(key));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        new CredentialHashes(root);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }

    @Test
    void anImagePulledAnonymouslyIsSharedWithoutARequest() throws Exception {
        try (FakeRegistry open = new FakeRegistry("127.0.0.1")) {
            open.addImage("lib/public", "v1", image);
            String publicRef = open.host() + "/lib/public:v1";
            ImageRecord r = images.pull(publicRef, Requester.CLI, Credentials.NONE, Cancellation.none());
            assertEquals(List.of(CredentialHashes.ANONYMOUS), r.pulledWith());
            int before = open.requests.size();
            images.checkAccess(r, publicRef, Credentials.of(open.host(), "anyone", "x", "", "", ""), Cancellation.none());
            assertEquals(before, open.requests.size());
        }
    }

    @Test
    void thePolicyDecidesForPreloadedImagesAndNeverVerifyChecksNothing() throws Exception {
        ImageRecord pulled = images.pull(ref, Requester.CLI, as("alice", "alice-pw"), Cancellation.none());
        images.close();
        // as a record from before ocimount kept who pulled: the same image, no pulledWith
        Path file;
        try (var files = Files.list(root.resolve("meta/images"))) {
            file = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        String text = Files.readString(file);
        Files.writeString(file, text.replaceAll(",?\\s*\"pulledWith\"\\s*:\\s*\\[[^\\]]*\\]", ""));
        images = service(CredentialVerification.NEVER_VERIFY_PRELOADED_IMAGES);
        assertTrue(images.status(ref).orElseThrow().isPreloaded(), Files.readString(file));
        assertEquals(List.of(), check(pulled, Credentials.NONE), "preloaded: shared, as kubelet's default does");
        images.close();
        images = service(CredentialVerification.ALWAYS_VERIFY);
        refused(pulled, Credentials.NONE);
        images.close();
        images = service(CredentialVerification.NEVER_VERIFY);
        ImageRecord again = images.pull(ref, Requester.CLI, as("alice", "alice-pw"), Cancellation.none());
        assertEquals(List.of(), check(again, Credentials.NONE), "NeverVerify: anyone gets it");
    }
}
