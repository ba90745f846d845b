package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.StatusRuntimeException;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.ImageFsInfoRequest;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.PullImageRequest;
import runtime.v1.RemoveImageRequest;

/**
 * What a pull that failed halfway leaves in {@code content/ingest}: kept for a resume while young (a restart
 * keeps it), deleted at start or by garbage collection once older than {@code pull.partial_max_age_seconds},
 * and the space comes back in ImageFsInfo, which kubelet's image GC reads.
 */
@Tag("native")
class PartialDownloadsE2ETest {
    private static final int LAYER_BYTES = 6 << 20;
    private static final long MAX_AGE_SECONDS = 60;

    @TempDir
    Path tmp;
    RealRegistry registry;
    DaemonProcess daemon;
    Path partial;
    String broken;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(tmp.resolve("reg"));
        registry = new RealRegistry(tmp.resolve("reg"), null, null);
        byte[] noise = new byte[LAYER_BYTES];
        new Random(5).nextBytes(noise);
        ImageBuilder.Image image = new ImageBuilder().layer(new TarBuilder().file("big.bin", noise, 0644).build()).build();
        registry.push("test/half", "v1", image);
        ImageBuilder.Blob layer = image.layers().get(0);
        registry.truncateBlob(layer.digest(), layer.bytes().length / 2); // every pull of it fails halfway
        broken = registry.host() + "/test/half:v1";
        partial = tmp.resolve("root/content/ingest/" + layer.digest().hex());
        Files.writeString(tmp.resolve("config.toml"), "[pull]\npartial_max_age_seconds = " + MAX_AGE_SECONDS + "\n");
        daemon = DaemonProcess.start(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
        registry.close();
    }

    private ImageServiceGrpc.ImageServiceBlockingStub stub() {
        return ImageServiceGrpc.newBlockingStub(daemon.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private String pull(String ref) {
        return stub().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build()).getImageRef();
    }

    private long usedBytes() {
        return stub().imageFsInfo(ImageFsInfoRequest.getDefaultInstance()).getImageFilesystems(0).getUsedBytes().getValue();
    }

    private void restart() throws Exception {
        daemon.terminate();
        daemon = DaemonProcess.start(tmp);
    }

    private long failHalfway() throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull(broken));
        assertTrue(e.getStatus().getDescription().contains("truncated"), e.getStatus().getDescription());
        assertTrue(Files.exists(partial), "the half that arrived is kept for a resume");
        return Files.size(partial);
    }

    /** As if the partial had not been written to for longer than the limit (its age is its mtime's). */
    private void ageBeyondTheLimit() throws Exception {
        Files.setLastModifiedTime(partial, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minusSeconds(MAX_AGE_SECONDS + 5)));
    }

    @Test
    void aYoungPartialSurvivesARestartAnOldOneIsDeletedAtStartAndTheSpaceComesBack() throws Exception {
        long kept = failHalfway();
        assertTrue(kept >= LAYER_BYTES / 4, "a real part of the layer: " + kept);
        long withPartial = usedBytes();
        assertTrue(withPartial >= kept, "ImageFsInfo counts the partial: " + withPartial);

        restart();
        assertTrue(Files.exists(partial), "still young: a restart keeps it for the next pull to resume");

        ageBeyondTheLimit();
        restart();
        assertFalse(Files.exists(partial), "older than partial_max_age_seconds: deleted at start");
        long after = usedBytes();
        assertTrue(after <= withPartial - kept, "ImageFsInfo gave the space back: " + withPartial + " -> " + after);
        assertTrue(daemon.log().contains("reclaimed 1 partial download(s)"), daemon.log());
    }

    @Test
    void garbageCollectionAfterRemoveImageDeletesAnExpiredPartial() throws Exception {
        ImageBuilder.Image good = new ImageBuilder().layer(java.util.Map.of("ok.txt", "fine")).build();
        registry.push("test/good", "v1", good);
        pull(registry.host() + "/test/good:v1");
        long kept = failHalfway();
        long withPartial = usedBytes();
        ageBeyondTheLimit();
        stub().removeImage(RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(registry.host()
                + "/test/good:v1")).build());
        assertFalse(Files.exists(partial), "RemoveImage's garbage collection took the expired partial too");
        long after = usedBytes();
        assertTrue(after <= withPartial - kept, "ImageFsInfo gave the space back: " + withPartial + " -> " + after);
        assertEquals(0, stub().listImages(runtime.v1.ListImagesRequest.getDefaultInstance()).getImagesCount());
    }
}
