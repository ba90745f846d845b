package io.ocimount.image;

import io.ocimount.policy.audit.Requester;
import io.ocimount.testkit.TestImages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Reasons;
import io.ocimount.registry.Credentials;
import io.ocimount.registry.RegistrySettings;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.wiring.Wiring;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config or manifest body that breaks is asked for again, like a 5xx, and within the same attempts: a registry
 * that always breaks it gets {@code maxAttempts} requests for it, not more (issue #11).
 */
class ConfigAndManifestRetryTest {
    private static final int ALWAYS = Integer.MAX_VALUE;
    private static final int MAX_ATTEMPTS = RegistrySettings.defaults().maxAttempts();
    @TempDir
    Path root;
    FakeRegistry registry;
    ImageService images;
    ImageBuilder.Image img;

    @BeforeEach
    void start() throws Exception {
        registry = new FakeRegistry("127.0.0.1");
        images = imageService(Duration.ofMillis(5));
        img = new ImageBuilder().layer(Map.of("a.txt", "alpha")).user("1002").build();
        registry.addImage("test/img", "v1", img);
    }

    @AfterEach
    void stop() {
        images.close();
        registry.close();
    }

    private ImageService imageService(Duration backoff) {
        return TestImages.create(root, Wiring.registry(RegistrySettings.defaults().withBackoff(backoff)),
                TestImages.amd64());
    }

    private String ref(String tagOrDigest) {
        return registry.host() + "/test/img" + (tagOrDigest.startsWith("sha256:") ? "@" : ":") + tagOrDigest;
    }

    private ImageRecord pull(String ref) {
        return images.pull(ref, Requester.CLI, Credentials.NONE, Cancellation.none());
    }

    private long gets(String kind, Object object) {
        return registry.count("GET /v2/test/img/" + kind + "/" + object);
    }

    private int half(ImageBuilder.Blob b) {
        return b.bytes().length / 2;
    }

    @Test
    void aConfigBodyBrokenOnceIsFetchedAgain() {
        registry.truncateOnce(img.config().digest(), half(img.config()));
        assertEquals(img.config().digest(), pull(ref("v1")).id());
        assertEquals(2, gets("blobs", img.config().digest()));
    }

    @Test
    void aManifestBodyBrokenOnceIsFetchedAgainWhenPulledByTag() {
        registry.truncateOnce(img.manifest().digest(), half(img.manifest()));
        assertEquals(img.config().digest(), pull(ref("v1")).id());
        assertEquals(2, gets("manifests", img.manifest().digest()), registry.requests.toString());
    }

    @Test
    void aManifestBodyBrokenOnceIsFetchedAgainWhenPulledByDigest() {
        registry.truncateOnce(img.manifest().digest(), half(img.manifest()));
        assertEquals(img.config().digest(), pull(ref(img.manifest().digest().toString())).id());
        assertEquals(2, gets("manifests", img.manifest().digest()), registry.requests.toString());
    }

    @Test
    void aManifestBodyBrokenOnceIsFetchedAgainWhenTheTagIsResolvedWithGet() {
        registry.hideDigestOnHead();
        registry.truncateOnce(img.manifest().digest(), half(img.manifest()));
        assertEquals(img.config().digest(), pull(ref("v1")).id());
        assertEquals(2, gets("manifests", "v1"), registry.requests.toString());
    }

    @Test
    void aConfigBodyThatAlwaysBreaksIsRegistryUnavailableAfterMaxAttemptsRequests() {
        registry.truncate(img.config().digest(), half(img.config()), ALWAYS);
        assertGivesUpAfterMaxAttempts(ref("v1"), "config", "blobs", img.config());
    }

    @Test
    void aManifestBodyThatAlwaysBreaksIsRegistryUnavailableAfterMaxAttemptsRequests() {
        registry.truncate(img.manifest().digest(), half(img.manifest()), ALWAYS);
        assertGivesUpAfterMaxAttempts(ref("v1"), "manifest", "manifests", img.manifest());
    }

    @Test
    void failedStatusesAndBrokenBodiesSpendOneBudget() {
        registry.truncate(img.manifest().digest(), half(img.manifest()), ALWAYS);
        registry.failNext(2, 503); // the first two GETs of the manifest, the pull's first requests
        assertGivesUpAfterMaxAttempts(ref(img.manifest().digest().toString()), "manifest", "manifests", img.manifest());
    }

    @Test
    void aWholeConfigWithTheWrongDigestIsRefusedWithoutRetrying() {
        byte[] wrong = img.config().bytes().clone();
        wrong[wrong.length / 2] ^= 1;
        registry.corrupt(img.config().digest(), wrong);
        OciMountException e = assertThrows(OciMountException.class, () -> pull(ref("v1")));
        assertEquals(ErrorKind.DATA_LOSS, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
        assertEquals(1, gets("blobs", img.config().digest()));
    }

    @Test
    void cancellationStopsTheRetriesAtOnce() throws Exception {
        images.close();
        images = imageService(Duration.ofSeconds(10)); // a long backoff: the cancel must cut it short
        registry.truncate(img.config().digest(), half(img.config()), ALWAYS);
        CancelDuringBackoff.assertStopsAtOnce(images, ref("v1"), registry, "GET /v2/test/img/blobs/" + img.config().digest());
    }

    /** The pull fails RegistryUnavailable, naming {@code what} and the reference, after maxAttempts GETs of it. */
    private void assertGivesUpAfterMaxAttempts(String ref, String what, String kind, ImageBuilder.Blob blob) {
        OciMountException e = assertThrows(OciMountException.class, () -> pull(ref));
        assertEquals(ErrorKind.UNAVAILABLE, e.kind(), e.getMessage());
        assertEquals(Reasons.REGISTRY_UNAVAILABLE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(what + " " + blob.digest()) && e.getMessage().contains(ref), e.getMessage());
        assertTrue(e.getMessage().contains("after " + MAX_ATTEMPTS + " attempts"), e.getMessage());
        assertEquals(MAX_ATTEMPTS, gets(kind, blob.digest()), registry.requests.toString());
    }
}
