package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.ImageSpec;
import runtime.v1.ImageStatusRequest;
import runtime.v1.PullImageRequest;

/**
 * The store on a small tmpfs that fills at chosen points of a pull: early in the layer, in its middle, while its
 * last file is written, and at the commit (no inode left for the image record). Each pull fails within seconds
 * with the cause named, leaves no temporary snapshot and no record, and the same daemon pulls the image once
 * there is room again.
 */
@Tag("native")
class DiskFullE2ETest {
    private static final int FILES = 16;
    private static final int FILE_BYTES = 512 << 10;
    private static final long ROOMY = 96L << 20;

    @TempDir
    Path tmp;
    RealRegistry registry;
    ImageBuilder.Image image;
    String ref;
    Path store;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(tmp.resolve("reg"));
        registry = new RealRegistry(tmp.resolve("reg"), null, null);
        TarBuilder tar = new TarBuilder();
        Random random = new Random(11);
        for (int i = 0; i < FILES; i++) {
            byte[] noise = new byte[FILE_BYTES];
            random.nextBytes(noise); // incompressible: the blob is as large as the files it holds
            tar.file(String.format("data/part-%02d.bin", i), noise, 0644);
        }
        image = new ImageBuilder().layer(tar.build()).build();
        registry.push("test/full", "v1", image);
        ref = registry.host() + "/test/full:v1";
        store = tmp.resolve("store");
        Files.createDirectories(store);
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
        Commands.run(java.util.Map.of(), List.of("umount", "-l", store.toString()));
    }

    /** What a whole pull takes of the store: bytes and inodes, measured on a roomy tmpfs. */
    private long[] measureNeeds() throws Exception {
        mountTmpfs(ROOMY, 100_000);
        try (Running d = new Running()) {
            d.pull();
        }
        long[] used = usage();
        Commands.ok(Commands.run(java.util.Map.of(), List.of("umount", store.toString())));
        return used;
    }

    @Test
    void aFullDiskFailsThePullPromptlyWithItsCauseWherever() throws Exception {
        long[] need = measureNeeds();
        long bytes = need[0];
        long inodes = need[1];
        assertTrue(bytes > 2L * FILES * FILE_BYTES, "blob and files both stored: " + bytes);
        record Point(String name, long size, long inodeLimit) {
        }
        List<Point> points = List.of(
                new Point("early", bytes / 5, inodes + 100),
                new Point("middle", bytes / 2, inodes + 100),
                new Point("last file", bytes - FILE_BYTES / 2, inodes + 100),
                // the image record is the pull's last inode; the tag history (meta/tags.json) is written after it
                new Point("commit", bytes + (8L << 20), inodes - 2));
        for (Point p : points) {
            mountTmpfs(p.size(), p.inodeLimit());
            try (Running d = new Running()) {
                long start = System.nanoTime();
                StatusRuntimeException e = assertThrows(StatusRuntimeException.class, d::pull, p.name());
                double seconds = (System.nanoTime() - start) / 1e9;
                String msg = e.getStatus().getDescription();
                assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode(), p.name() + ": a pull error, not a timeout: " + e);
                assertTrue(seconds < 15, p.name() + ": failed after " + seconds + " s");
                assertTrue(msg.contains("No space left on device"), p.name() + ": cause named: " + msg);
                assertTrue(msg.contains(ref), p.name() + ": image named: " + msg);
                assertEquals(List.of(), names("snapshots", "tmp-"), p.name() + ": no temporary snapshot left");
                assertFalse(d.has(), p.name() + ": no image record");

                Commands.ok(Commands.run(java.util.Map.of(), List.of("mount", "-o", "remount,size=" + ROOMY + ",nr_inodes=100000",
                        store.toString())));
                assertEquals(image.config().digest().toString(), d.pull(), p.name() + ": the same daemon pulls once there is room");
                assertTrue(d.has());
            }
            Commands.ok(Commands.run(java.util.Map.of(), List.of("umount", store.toString())));
        }
    }

    @Test
    void partialDownloadsGoFirstWhenTheDiskIsShort() throws Exception {
        long[] need = measureNeeds();
        byte[] noise = new byte[12 << 20];
        new Random(3).nextBytes(noise);
        ImageBuilder.Image half = new ImageBuilder().layer(new TarBuilder().file("big.bin", noise, 0644).build()).build();
        registry.push("test/half", "v1", half);
        ImageBuilder.Blob layer = half.layers().get(0);
        registry.truncateBlob(layer.digest(), layer.bytes().length * 3L / 4);
        long partialBytes = layer.bytes().length * 3L / 4;
        // room for the image, or for the partial download, but not for both
        mountTmpfs(need[0] + partialBytes / 2, need[1] + 100);
        try (Running d = new Running()) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> d.pull(registry.host() + "/test/half:v1"));
            assertTrue(e.getStatus().getDescription().contains("truncated"), e.getStatus().getDescription());
            Path partial = store.resolve("content/ingest/" + layer.digest().hex());
            assertEquals(partialBytes, Files.size(partial), "the half-downloaded layer is kept for a resume");

            assertEquals(image.config().digest().toString(), d.pull(), "the partial gave way to a pull that needed its room");
            assertFalse(Files.exists(partial));
        }
        Commands.ok(Commands.run(java.util.Map.of(), List.of("umount", store.toString())));
    }

    private void mountTmpfs(long size, long inodes) throws Exception {
        Commands.ok(Commands.run(java.util.Map.of(), List.of("mount", "-t", "tmpfs", "-o",
                "size=" + size + ",nr_inodes=" + inodes + ",mode=0700", "tmpfs", store.toString())));
    }

    /** Used bytes and inodes of the store's file system. */
    private long[] usage() throws Exception {
        String[] f = Commands.ok(Commands.run(java.util.Map.of(), List.of("stat", "-f", "-c", "%b %f %S %c %d",
                store.toString()))).out().trim().split(" ");
        long blockSize = Long.parseLong(f[2]);
        return new long[] {(Long.parseLong(f[0]) - Long.parseLong(f[1])) * blockSize, Long.parseLong(f[3]) - Long.parseLong(f[4])};
    }

    private List<String> names(String dir, String prefix) throws Exception {
        Path d = store.resolve(dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.map(x -> x.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        }
    }

    /** A daemon with its root on the tmpfs (its state directory elsewhere). */
    private final class Running extends InProcessDaemon {
        Running() throws Exception {
            super(store, tmp.resolve("run"));
        }

        String pull() {
            return pull(ref);
        }

        String pull(String reference) {
            return images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(reference)).build())
                    .getImageRef();
        }

        boolean has() {
            return images().imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build())
                    .hasImage();
        }
    }
}
