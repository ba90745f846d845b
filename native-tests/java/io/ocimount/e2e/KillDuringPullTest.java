package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.ImageBuilder;
import java.nio.file.Files;
import io.ocimount.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.ImageStatusRequest;
import runtime.v1.PullImageRequest;

/** kill -9 of the daemon in the middle of a layer download: nothing looks complete, and the next pull resumes. */
@Tag("native")
class KillDuringPullTest {
    @TempDir
    Path tmp;

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void killNineMidLayerLeavesNothingCompleteAndTheNextPullResumes() throws Exception {
        byte[] noise = new byte[4 << 20];
        new Random(7).nextBytes(noise);
        ImageBuilder.Image img = new ImageBuilder().layer(Map.of("big.bin", new String(noise, java.nio.charset.StandardCharsets.ISO_8859_1)))
                .build();
        ImageBuilder.Blob layer = img.layers().get(0);
        try (FakeRegistry registry = new FakeRegistry("127.0.0.1")) {
            registry.addImage("test/img", "v1", img);
            registry.slowBlobs(40);
            String ref = registry.host() + "/test/img:v1";
            DaemonProcess daemon = DaemonProcess.start(tmp);
            ImageServiceGrpc.newStub(daemon.channel()).pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build(),
                    new io.grpc.stub.StreamObserver<>() {
                        public void onNext(runtime.v1.PullImageResponse r) { }
                        public void onError(Throwable t) { }
                        public void onCompleted() { }
                    });
            Path ingest = tmp.resolve("root/content/ingest/" + layer.digest().hex());
            long deadline = System.currentTimeMillis() + 20_000;
            while (size(ingest) < 256 * 1024) {
                assertTrue(System.currentTimeMillis() < deadline, () -> "the download never started: " + daemon.log());
                Thread.sleep(20);
            }
            daemon.kill();
            long partial = size(ingest);
            assertTrue(partial > 0 && partial < layer.bytes().length, "killed mid-layer: " + partial);
            assertFalse(Files.exists(tmp.resolve("root/content/blobs/sha256/" + layer.digest().hex())), "no layer blob");
            try (Stream<Path> records = Files.list(tmp.resolve("root/meta/images"))) {
                assertEquals(0, records.count(), "no image record");
            }
            assertEquals(1, snapshotDirs("tmp-").size(), "killed mid-unpack: one half-written temporary snapshot");
            assertEquals(List.of(), snapshotDirs("sha256"), "no committed snapshot");

            registry.slowBlobs(0);
            try (DaemonProcess again = DaemonProcess.start(tmp)) {
                var stub = ImageServiceGrpc.newBlockingStub(again.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
                assertEquals(List.of(), snapshotDirs("tmp-"), "the restarted daemon deleted the half-written snapshot");
                assertFalse(stub.imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build())
                        .hasImage(), "the half-pulled image does not exist after restart");
                String id = stub.pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build())
                        .getImageRef();
                assertEquals(img.config().digest().toString(), id);
                assertTrue(Files.exists(tmp.resolve("root/content/blobs/sha256/" + layer.digest().hex())));
                assertTrue(registry.requests.contains("RANGE " + layer.digest() + " bytes=" + partial + "-"),
                        "the second daemon resumed from byte " + partial + ": " + registry.requests);
                Path snapshot = tmp.resolve("root/snapshots").resolve(snapshotDirs("sha256").get(0)).resolve("fs/big.bin");
                assertArrayEquals(new String(noise, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8),
                        Files.readAllBytes(snapshot), "the unpack replayed the kept bytes and went on from the registry");
            }
        }
    }

    private List<String> snapshotDirs(String prefix) throws Exception {
        Path dir = tmp.resolve("root/snapshots");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> prefix.equals("sha256") ? Digest.isDigest("sha256:" + n) : n.startsWith(prefix)).toList();
        }
    }

    @Test
    void sigtermStopsCleanlyAndRemovesTheSocket() throws Exception {
        DaemonProcess daemon = DaemonProcess.start(tmp);
        Path sock = DaemonProcess.socket(tmp);
        assertTrue(Files.exists(sock));
        assertEquals(143, daemon.terminate(), "exit status of a SIGTERM-ed JVM after its shutdown hooks ran");
        assertFalse(Files.exists(sock), "socket removed");
    }
}
