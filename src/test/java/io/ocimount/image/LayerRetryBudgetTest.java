package io.ocimount.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.policy.audit.Requester;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Reasons;
import io.ocimount.oci.Platform;
import io.ocimount.registry.Credentials;
import io.ocimount.registry.RegistrySettings;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import io.ocimount.testkit.TestImages;
import io.ocimount.unpack.LayerLimits;
import io.ocimount.wiring.Wiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer whose body always breaks gets {@code maxAttempts} requests in all, whatever failed, then the pull fails
 * naming the image, the layer and the last problem (issue #12, item 4: resumes and status retries used to be
 * two budgets, up to 30 requests for one blob).
 */
class LayerRetryBudgetTest {
    private static final int ALWAYS = Integer.MAX_VALUE;
    private static final int MAX_ATTEMPTS = RegistrySettings.defaults().maxAttempts();
    @TempDir
    Path root;
    FakeRegistry registry;
    ImageService images;
    ImageBuilder.Image img;
    ImageBuilder.Blob layer;

    @BeforeEach
    void start() throws Exception {
        registry = new FakeRegistry("127.0.0.1");
        images = imageService(Duration.ofMillis(5), PullSettings.DEFAULT_STALL_TIMEOUT);
        byte[] noise = new byte[256 << 10];
        new Random(12).nextBytes(noise);
        img = new ImageBuilder().layer(new TarBuilder().file("noise.bin", noise, 0644).build()).build();
        layer = img.layers().get(0);
        registry.addImage("test/img", "v1", img);
    }

    @AfterEach
    void stop() {
        images.close();
        registry.close();
    }

    private ImageService imageService(Duration backoff, Duration stallTimeout) {
        return TestImages.create(root, Wiring.registry(RegistrySettings.defaults().withBackoff(backoff)),
                new PullSettings(new Platform("linux", "amd64", ""), 3, 128, LayerLimits.defaults(),
                        stallTimeout));
    }

    private String ref() {
        return registry.host() + "/test/img:v1";
    }

    /** Pulls, expecting a failure after exactly maxAttempts requests for the layer. */
    private OciMountException pullFailsAfterMaxAttempts() {
        OciMountException e = assertThrows(OciMountException.class,
                () -> images.pull(ref(), Requester.CLI, Credentials.NONE, Cancellation.none()));
        assertEquals(MAX_ATTEMPTS, registry.count("GET /v2/test/img/blobs/" + layer.digest()), registry.requests.toString());
        assertTrue(Files.exists(root.resolve("content/ingest/" + layer.digest().hex())), "what arrived is kept for a resume");
        return e;
    }

    /** The error of a layer whose last request brought a broken body: DATA_LOSS, as for a blob the registry cut. */
    private static void assertTruncated(OciMountException e, String ref, ImageBuilder.Blob layer, String problem) {
        assertEquals(ErrorKind.DATA_LOSS, e.kind(), e.getMessage());
        String msg = e.getMessage();
        assertTrue(msg.contains(ref) && msg.contains("blob " + layer.digest() + " truncated: " + problem), msg);
        assertTrue(msg.contains("(gave up after " + MAX_ATTEMPTS + " attempts)"), msg);
    }

    @Test
    void aLayerBodyThatAlwaysBreaksGetsMaxAttemptsRequestsThenTheError() {
        registry.truncate(layer.digest(), 4096, ALWAYS); // each request brings 4 KiB more, never the whole layer
        assertTruncated(pullFailsAfterMaxAttempts(), ref(), layer, "connection broke after " + MAX_ATTEMPTS * 4096 + " of ");
    }

    @Test
    void failedStatusesBeforeEachBrokenBodySpendTheSameBudget() {
        registry.failBeforeEachBody(layer.digest(), 503, MAX_ATTEMPTS - 1); // 503 four times, then a broken body
        registry.truncate(layer.digest(), 4096, ALWAYS);
        assertTruncated(pullFailsAfterMaxAttempts(), ref(), layer, "connection broke after 4096 of ");
    }

    @Test
    void whenTheLastFailureIsAStatusTheLayerIsRegistryUnavailableNamingImageLayerAndStatus() {
        registry.failBeforeEachBody(layer.digest(), 503, 1); // 503, broken body, 503, broken body, 503
        registry.truncate(layer.digest(), 4096, ALWAYS);
        OciMountException e = pullFailsAfterMaxAttempts();
        assertEquals(ErrorKind.UNAVAILABLE, e.kind(), e.getMessage());
        assertEquals(Reasons.REGISTRY_UNAVAILABLE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("fetch blob " + layer.digest() + " of " + ref() + ": registry ")
                && e.getMessage().endsWith(" unavailable after " + MAX_ATTEMPTS + " attempts: HTTP 503"), e.getMessage());
    }

    @Test
    void aStallSpendsFromTheSameBudget() {
        images.close();
        images = imageService(Duration.ofMillis(5), Duration.ofMillis(400));
        registry.stallOnce(layer.digest(), 4096); // the first body stalls after 4 KiB, the next four break
        registry.truncate(layer.digest(), 4096, ALWAYS);
        assertTruncated(pullFailsAfterMaxAttempts(), ref(), layer, "connection broke after " + MAX_ATTEMPTS * 4096 + " of ");
        assertTrue(registry.requests.contains("RANGE " + layer.digest() + " bytes=4096-"), "resumed after the stall");
    }

    @Test
    void cancellationStopsTheResumesAtOnce() throws Exception {
        images.close();
        images = imageService(Duration.ofSeconds(10), PullSettings.DEFAULT_STALL_TIMEOUT); // the cancel must cut it short
        registry.truncate(layer.digest(), 4096, ALWAYS);
        CancelDuringBackoff.assertStopsAtOnce(images, ref(), registry, "GET /v2/test/img/blobs/" + layer.digest());
    }
}
