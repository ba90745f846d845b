package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.ocimount.cli.DaemonChannel;
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

    private Process startDaemon() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.ocimount.daemon.Main", "daemon",
                "--root", tmp.resolve("root").toString(), "--state-dir", tmp.resolve("run").toString(),
                "--config", tmp.resolve("absent.toml").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("daemon.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (!log().contains("serving on")) { // the socket file alone may be a stale one from the killed daemon
            assertTrue(p.isAlive() && System.currentTimeMillis() < deadline, () -> "daemon did not start: " + log());
            Thread.sleep(50);
        }
        return p;
    }

    private String log() {
        try {
            return Files.readString(tmp.resolve("daemon.log"));
        } catch (Exception e) {
            return "";
        }
    }

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
            Process daemon = startDaemon();
            ManagedChannel ch = DaemonChannel.open(tmp.resolve("run/ocimount.sock"));
            ImageServiceGrpc.newStub(ch).pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build(),
                    new io.grpc.stub.StreamObserver<>() {
                        public void onNext(runtime.v1.PullImageResponse r) { }
                        public void onError(Throwable t) { }
                        public void onCompleted() { }
                    });
            Path ingest = tmp.resolve("root/content/ingest/" + layer.digest().hex());
            long deadline = System.currentTimeMillis() + 20_000;
            while (size(ingest) < 256 * 1024) {
                assertTrue(System.currentTimeMillis() < deadline, () -> "the download never started: " + log());
                Thread.sleep(20);
            }
            daemon.destroyForcibly(); // SIGKILL
            daemon.waitFor(10, TimeUnit.SECONDS);
            ch.shutdownNow();
            long partial = size(ingest);
            assertTrue(partial > 0 && partial < layer.bytes().length, "killed mid-layer: " + partial);
            assertFalse(Files.exists(tmp.resolve("root/content/blobs/sha256/" + layer.digest().hex())), "no layer blob");
            try (Stream<Path> records = Files.list(tmp.resolve("root/meta/images"))) {
                assertEquals(0, records.count(), "no image record");
            }
            assertEquals(1, snapshotDirs("tmp-").size(), "killed mid-unpack: one half-written temporary snapshot");
            assertEquals(List.of(), snapshotDirs("sha256"), "no committed snapshot");

            registry.slowBlobs(0);
            Process again = startDaemon();
            ManagedChannel ch2 = DaemonChannel.open(tmp.resolve("run/ocimount.sock"));
            try {
                var stub = ImageServiceGrpc.newBlockingStub(ch2).withDeadlineAfter(60, TimeUnit.SECONDS);
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
            } finally {
                ch2.shutdownNow();
                again.destroy();
                again.waitFor(10, TimeUnit.SECONDS);
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
        Process daemon = startDaemon();
        Path sock = tmp.resolve("run/ocimount.sock");
        assertTrue(Files.exists(sock));
        daemon.destroy(); // SIGTERM
        assertTrue(daemon.waitFor(15, TimeUnit.SECONDS), "stopped within 15 s");
        assertEquals(143, daemon.exitValue(), "exit status of a SIGTERM-ed JVM after its shutdown hooks ran");
        assertFalse(Files.exists(sock), "socket removed");
    }
}
