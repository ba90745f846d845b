package io.ocimount.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.policy.audit.Requester;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Platform;
import io.ocimount.registry.Credentials;
import io.ocimount.testkit.TestImages;
import io.ocimount.testkit.DirListing;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.HostileLayers;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import io.ocimount.unpack.LayerLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus ({@link HostileLayers}) pulled end to end: each image must be refused with a message naming
 * the image, the layer and the reason, while a sentinel directory beside the store stays exactly as it was and
 * nothing (no image, no snapshot, no temporary directory) is left in the store. No case gets as far as a write
 * that needs root, so this runs as any user; run as root, the same pulls make the real privileged calls.
 */
class HostileLayerTest {
    private static final LayerLimits LIMITS = new LayerLimits(HostileLayers.MAX_BYTES, HostileLayers.MAX_ENTRIES,
            HostileLayers.MAX_PATH, HostileLayers.MAX_XATTR_BYTES);

    @TempDir
    static Path base;
    static Path sentinel;
    Path root;
    FakeRegistry registry;
    ImageService images;

    @BeforeEach
    void start() throws Exception {
        sentinel = base.resolve("sentinel");
        Files.createDirectories(sentinel);
        Files.writeString(sentinel.resolve("secret"), "keep me");
        root = Files.createTempDirectory(base, "store");
        registry = new FakeRegistry("127.0.0.1");
        images = TestImages.create(root, TestImages.registry(), new PullSettings(new Platform("linux", "amd64", ""), 3, 16,
                LIMITS));
    }

    @AfterEach
    void stop() {
        images.close();
        registry.close();
    }

    static Stream<HostileLayers.Case> corpus() {
        return HostileLayers.corpus().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void refusedWithTheImageLayerAndReasonNamedAndNothingTouched(HostileLayers.Case c) throws IOException {
        Map<String, String> before = DirListing.of(sentinel);
        ImageBuilder.Image img = c.image().apply(sentinel);
        registry.addImage("hostile/img", "t", img);
        String ref = registry.host() + "/hostile/img:t";
        OciMountException e = assertThrows(OciMountException.class, () -> images.pull(ref, Requester.CLI, Credentials.NONE, Cancellation.none()));
        String m = e.getMessage();
        assertTrue(m.contains(c.reason()), m);
        assertTrue(m.contains(ref), "names the image: " + m);
        if (!c.name().contains("count mismatch") && !c.name().contains("too many layers")) {
            assertTrue(m.contains(img.layers().get(img.layers().size() - 1).digest().toString()), "names the layer: " + m);
        }
        assertEquals(c.kind(), e.kind(), m);
        assertEquals(before, DirListing.of(sentinel), "the sentinel directory beside the store is untouched");
        assertTrue(images.status(ref).isEmpty(), "no image recorded");
        assertEquals(List.of(), temporaryDirsOnceSettled(root), "no temporary snapshot left behind");
        assertTrue(committedSnapshots(root) <= 1, "at most the harmless base layer was committed");
    }

    @Test
    void binaryXattrValueSurvivesByteForByte() throws Exception {
        byte[] cap = {0x01, 0x00, 0x00, 0x02, (byte) 0x80, (byte) 0xff, 0x00, 0x00, 0x0a, (byte) 0xfe, 0x00, 0x00};
        ImageBuilder.Image img = new ImageBuilder().layer(new TarBuilder().fileWithBinaryXattr("bin/tool", "#!/bin/true\n", "user.blob", cap).build()).build();
        registry.addImage("ok/img", "t", img);
        ImageRecord r = images.pull(registry.host() + "/ok/img:t", Requester.CLI, Credentials.NONE, Cancellation.none());
        Path snap = snapshotPath(root, r.chainIds().get(0));
        assertTrue(Arrays.equals(cap, io.ocimount.sys.Syscalls.lgetxattr(snap.resolve("bin/tool"), "user.blob")));
    }

    static Path snapshotPath(Path store, Digest chainId) {
        return store.resolve("snapshots").resolve(chainId.hex()).resolve("fs");
    }

    /** Sibling layers cancelled by the failure discard their directories on their own threads: give them a moment. */
    static List<String> temporaryDirsOnceSettled(Path store) throws IOException {
        List<String> left = List.of();
        for (int i = 0; i < 100; i++) {
            try (Stream<Path> s = Files.list(store.resolve("snapshots"))) {
                left = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("tmp-")).toList();
            }
            if (left.isEmpty()) {
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return left;
    }

    static long committedSnapshots(Path store) throws IOException {
        try (Stream<Path> s = Files.list(store.resolve("snapshots"))) {
            return s.filter(p -> Digest.isDigest("sha256:" + p.getFileName())).count();
        }
    }
}
