package io.ocimount.image;

import io.ocimount.policy.audit.Requester;
import io.ocimount.testkit.TestImages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Platform;
import io.ocimount.registry.Credentials;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.ImageBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pull pipeline against the in-process fake registry, with faults injected. */
class PullFaultsTest {
    @TempDir
    Path root;
    FakeRegistry registry;
    ImageService images;

    @BeforeEach
    void start() throws Exception {
        registry = new FakeRegistry("127.0.0.1");
        images = TestImages.create(root);
    }

    @AfterEach
    void stop() {
        images.close();
        registry.close();
    }

    private ImageBuilder.Image twoLayers() {
        return new ImageBuilder().layer(Map.of("a.txt", "alpha")).layer(Map.of("b.txt", "x".repeat(300_000))).user("1002").build();
    }

    private String ref(String tag) {
        return registry.host() + "/test/img:" + tag;
    }

    private ImageRecord pull(String ref) {
        return images.pull(ref, Requester.CLI, Credentials.NONE, Cancellation.none());
    }

    @Test
    void pullsAndRecordsAVerifiedImage() {
        ImageBuilder.Image img = twoLayers();
        registry.addImage("test/img", "v1", img);
        ImageRecord r = pull(ref("v1"));
        assertEquals(img.config().digest(), r.id());
        assertEquals(java.util.List.of(ref("v1")), r.repoTags());
        assertEquals(java.util.List.of(registry.host() + "/test/img@" + img.manifest().digest()), r.repoDigests());
        assertEquals("1002", r.user());
        assertEquals(2, r.layers().size());
        for (ImageBuilder.Blob l : img.layers()) {
            assertTrue(Files.exists(root.resolve("content/blobs/sha256/" + l.digest().hex())));
        }
    }

    @Test
    void wrongLayerDigestIsRefusedNamingImageAndLayerAndNothingIsRecorded() {
        ImageBuilder.Image img = twoLayers();
        registry.addImage("test/img", "v1", img);
        ImageBuilder.Blob layer = img.layers().get(1);
        byte[] wrong = layer.bytes().clone();
        wrong[wrong.length / 2] ^= 1;
        registry.corrupt(layer.digest(), wrong);
        OciMountException e = assertThrows(OciMountException.class, () -> pull(ref("v1")));
        assertEquals(ErrorKind.DATA_LOSS, e.kind());
        assertTrue(e.getMessage().contains(ref("v1")), e.getMessage());
        assertTrue(e.getMessage().contains(layer.digest().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
        assertTrue(images.status(ref("v1")).isEmpty());
        assertFalse(Files.exists(root.resolve("content/blobs/sha256/" + layer.digest().hex())));
    }

    @Test
    void truncatedBlobIsResumedWithRange() {
        ImageBuilder.Image img = twoLayers();
        registry.addImage("test/img", "v1", img);
        ImageBuilder.Blob layer = img.layers().get(1);
        registry.truncateOnce(layer.digest(), layer.bytes().length / 3);
        ImageRecord r = pull(ref("v1"));
        assertEquals(img.config().digest(), r.id());
        assertTrue(registry.requests.stream().filter(q -> q.endsWith(layer.digest().toString())).count() >= 2,
                "the blob was fetched again after the break: " + registry.requests);
    }

    @Test
    void aRegistryThatIgnoresRangeIsReadPastTheBytesAlreadyHeld() {
        ImageBuilder.Image img = twoLayers();
        registry.addImage("test/img", "v1", img);
        ImageBuilder.Blob layer = img.layers().get(1);
        int third = layer.bytes().length / 3;
        registry.ignoreRange();
        registry.truncateOnce(layer.digest(), third);
        ImageRecord r = pull(ref("v1"));
        assertEquals(img.config().digest(), r.id());
        assertTrue(registry.requests.contains("RANGE " + layer.digest() + " bytes=" + third + "-"), registry.requests.toString());
    }

    @Test
    void aBodyThatStopsSendingIsBrokenOffAndResumed() {
        images.close();
        images = TestImages.create(root, TestImages.registry(), new PullSettings(new Platform("linux", "amd64", ""),
                3, 128, io.ocimount.unpack.LayerLimits.defaults(), Duration.ofMillis(400)));
        ImageBuilder.Image img = twoLayers();
        registry.addImage("test/img", "v1", img);
        ImageBuilder.Blob layer = img.layers().get(1);
        int half = layer.bytes().length / 2;
        registry.stallOnce(layer.digest(), half);
        long start = System.nanoTime();
        ImageRecord r = pull(ref("v1"));
        assertEquals(img.config().digest(), r.id());
        assertTrue(registry.requests.contains("RANGE " + layer.digest() + " bytes=" + half + "-"), registry.requests.toString());
        assertTrue(System.nanoTime() - start < 15_000_000_000L, "did not wait for the stalled peer");
    }

    @Test
    void retriesAfter429And503() {
        registry.addImage("test/img", "v1", twoLayers());
        String resolve = "HEAD /v2/test/img/manifests/v1"; // a pull's first request
        registry.failNext(3, 429);
        assertEquals(1, pull(ref("v1")).repoTags().size());
        assertEquals(java.util.Collections.nCopies(3, "429 " + resolve), registry.failuresServed);
        assertEquals(java.util.Collections.nCopies(4, resolve), registry.requests.subList(0, 4),
                "asked again after each 429 until answered: " + registry.requests);
        registry.requests.clear();
        registry.failNext(2, 503);
        assertEquals(1, pull(ref("v1")).repoTags().size());
        assertEquals(java.util.List.of("429 " + resolve, "429 " + resolve, "429 " + resolve, "503 " + resolve,
                "503 " + resolve), registry.failuresServed);
        assertEquals(java.util.Collections.nCopies(3, resolve), registry.requests.subList(0, 3),
                "asked again after each 503 until answered: " + registry.requests);
    }

    @Test
    void persistent5xxIsRegistryUnavailable() {
        registry.addImage("test/img", "v1", twoLayers());
        registry.failNext(100, 503);
        OciMountException e = assertThrows(OciMountException.class, () -> pull(ref("v1")));
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertEquals("RegistryUnavailable", e.reason());
    }

    @Test
    void bearerChallengeIsAnsweredAndTokenReused() {
        registry.addImage("test/img", "v1", twoLayers());
        registry.requireBearer("tok123");
        pull(ref("v1"));
        assertEquals(1, registry.tokenRequests.get(), "one token for the scope, cached for the rest of the pull");
        assertTrue(registry.authorizationsSeen.contains("Bearer tok123"));
    }

    @Test
    void redirectToAnotherHostDropsAuthorization() throws Exception {
        try (FakeRegistry cdn = new FakeRegistry("127.0.0.2")) {
            ImageBuilder.Image img = twoLayers();
            registry.addImage("test/img", "v1", img);
            img.blobs().forEach((d, b) -> cdn.addBlob(b));
            registry.requireBearer("secret-token");
            registry.redirectBlobsTo(cdn);
            pull(ref("v1"));
            assertFalse(cdn.requests.isEmpty(), "blobs came from the redirect target");
            assertTrue(cdn.authorizationsSeen.stream().allMatch(String::isEmpty),
                    "no Authorization crossed to the other host: " + cdn.authorizationsSeen);
        }
    }

    @Test
    void diffIdCountMismatchIsRefusedBeforeLayersAreFetched() {
        ImageBuilder.Image img = new ImageBuilder().layer(Map.of("a", "1")).layer(Map.of("b", "2")).diffIdCount(1).build();
        registry.addImage("test/img", "v1", img);
        OciMountException e = assertThrows(OciMountException.class, () -> pull(ref("v1")));
        assertTrue(e.getMessage().contains("1 diff_ids but the manifest has 2 layers"), e.getMessage());
        assertTrue(registry.requests.stream().noneMatch(q -> q.contains(img.layers().get(0).digest().toString())));
    }

    @Test
    void multiArchIndexPicksThePlatformAndListsOffersWhenNoneMatches() {
        ImageBuilder.Image amd = new ImageBuilder().layer(Map.of("arch", "amd64")).build();
        ImageBuilder.Image arm = new ImageBuilder().layer(Map.of("arch", "arm64")).arch("arm64").build();
        Map<String, ImageBuilder.Image> both = new LinkedHashMap<>();
        both.put("linux/arm64", arm);
        both.put("linux/amd64", amd);
        registry.addImage("test/img", null, amd);
        registry.addImage("test/img", null, arm);
        ImageBuilder.Blob index = ImageBuilder.index(both);
        registry.addManifest("test/img", "multi", index);
        ImageRecord r = pull(ref("multi"));
        assertEquals(amd.config().digest(), r.id());
        assertEquals(java.util.List.of(registry.host() + "/test/img@" + index.digest()), r.repoDigests());

        registry.addManifest("test/img", "armonly", ImageBuilder.index(Map.of("linux/arm64", arm)));
        OciMountException e = assertThrows(OciMountException.class, () -> pull(ref("armonly")));
        assertTrue(e.getMessage().contains("linux/amd64") && e.getMessage().contains("offers linux/arm64"), e.getMessage());
    }

    @Test
    void schema1AndConfusedDocumentsAreRefused() {
        registry.addManifest("test/img", "s1", ImageBuilder.blob("application/vnd.docker.distribution.manifest.v1+prettyjws",
                "{\"schemaVersion\":1,\"fsLayers\":[]}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(assertThrows(OciMountException.class, () -> pull(ref("s1"))).getMessage().contains("schema 1"));
        registry.addManifest("test/img", "confused", ImageBuilder.blob("application/vnd.oci.image.manifest.v1+json",
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"manifests\":[]}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertTrue(assertThrows(OciMountException.class, () -> pull(ref("confused"))).getMessage().contains("carries \"manifests\""));
        registry.addManifest("test/img", "dup", ImageBuilder.blob("application/vnd.oci.image.manifest.v1+json",
                "{\"schemaVersion\":2,\"schemaVersion\":3}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(assertThrows(OciMountException.class, () -> pull(ref("dup"))).getMessage().toLowerCase().contains("duplicate"));
    }

    @Test
    void cancelledPullLeavesNoImage() {
        registry.addImage("test/img", "v1", twoLayers());
        Cancellation c = new Cancellation();
        c.cancel(ErrorKind.DEADLINE_EXCEEDED, "deadline");
        OciMountException e = assertThrows(OciMountException.class, () -> images.pull(ref("v1"), Requester.CLI, Credentials.NONE, c));
        assertEquals(ErrorKind.DEADLINE_EXCEEDED, e.kind());
        assertTrue(images.list("").isEmpty());
    }

    @Test
    void namesMergeAndRemovalTakesAllNamesAndBlobs() {
        ImageBuilder.Image img = twoLayers();
        registry.addImage("test/img", "v1", img);
        registry.addManifest("test/img", "v2", img.manifest());
        pull(ref("v1"));
        ImageRecord r = pull(ref("v2"));
        assertEquals(2, r.repoTags().size());
        assertEquals(1, images.list("").size());
        assertTrue(images.status(r.id().hex().substring(0, 12)).isPresent(), "unique id prefix");
        images.remove(ref("v2"));
        assertTrue(images.status(ref("v1")).isEmpty());
        assertTrue(images.list("").isEmpty());
        images.remove("sha256:" + "0".repeat(64)); // idempotent
        assertTrue(images.status(r.id().toString()).isEmpty());
        assertEquals(0, root.resolve("content/blobs/sha256").toFile().list().length, "garbage collected");
    }

    @Test
    void concurrentPullsOfOneImageShareEachBlobDownload() throws Exception {
        ImageBuilder.Image img = twoLayers();
        registry.addImage("test/img", "v1", img);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var results = new java.util.ArrayList<java.util.concurrent.Future<ImageRecord>>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> pull(ref("v1"))));
            }
            for (var f : results) {
                assertEquals(img.config().digest(), f.get().id());
            }
        } finally {
            pool.shutdownNow();
        }
        for (ImageBuilder.Blob layer : img.layers()) {
            long gets = registry.requests.stream().filter(q -> q.equals("GET /v2/test/img/blobs/" + layer.digest())).count();
            assertEquals(1, gets, "layer " + layer.digest() + " downloaded once for four pulls");
        }
    }
}
