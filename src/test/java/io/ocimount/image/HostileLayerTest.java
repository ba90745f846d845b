package io.ocimount.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.airlift.compress.zstd.ZstdOutputStream;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Digest;
import io.ocimount.oci.MediaTypes;
import io.ocimount.oci.Platform;
import io.ocimount.registry.Credentials;
import io.ocimount.registry.RegistryClient;
import io.ocimount.registry.RegistrySettings;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import io.ocimount.unpack.LayerLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hostile corpus: hand-built layers and images that must each be refused with a message naming the image,
 * the layer and the reason, while a sentinel directory beside the store stays exactly as it was and nothing
 * (no image, no snapshot, no temporary directory) is left in the store.
 */
@Tag("native")
class HostileLayerTest {
    private static final LayerLimits LIMITS = new LayerLimits(1 << 20, 100, 512, 4096);

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
        images = new ImageService(root, new RegistryClient(RegistrySettings.defaults().withBackoff(Duration.ofMillis(5))),
                new PullSettings(new Platform("linux", "amd64", ""), 3, 16, LIMITS));
    }

    @AfterEach
    void stop() {
        images.close();
        registry.close();
    }

    /** One hostile case: how to build the image, and a fragment the refusal must contain. */
    record Case(String name, Function<Path, ImageBuilder.Image> image, String reason, ErrorKind kind) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static ImageBuilder.Image layer(TarBuilder t) {
        return new ImageBuilder().layer(Map.of("base.txt", "base")).layer(t.build()).build();
    }

    private static Case refused(String name, Function<Path, TarBuilder> tar, String reason) {
        return new Case(name, s -> layer(tar.apply(s)), reason, ErrorKind.INVALID_ARGUMENT);
    }

    static Stream<Arguments> corpus() {
        List<Case> c = new ArrayList<>();
        c.add(refused("dot-dot traversal", s -> new TarBuilder().file("../sentinel/pwned", "x"), "leaves the layer"));
        c.add(refused("nested dot-dot traversal", s -> new TarBuilder().dir("a", 0755).file("a/../../sentinel/pwned", "x"), "leaves the layer"));
        c.add(refused("absolute path", s -> new TarBuilder().file(s.resolve("pwned").toString(), "x"), "absolute path"));
        c.add(refused("symlink then write through it", s -> new TarBuilder().symlink("ln", s.toString()).file("ln/pwned", "x"), "is a symlink"));
        c.add(refused("relative symlink parent", s -> new TarBuilder().symlink("ln", "../../../../../../" + s).file("ln/pwned", "x"), "is a symlink"));
        c.add(refused("symlink chain parent", s -> new TarBuilder().symlink("b", s.toString()).symlink("a", "b").file("a/pwned", "x"), "is a symlink"));
        c.add(refused("directory through a symlink", s -> new TarBuilder().symlink("ln", s.toString()).dir("ln/sub", 0755), "is a symlink"));
        c.add(refused("device node through a symlink", s -> new TarBuilder().symlink("ln", s.toString()).charDevice("ln/null", 1, 3), "is a symlink"));
        c.add(refused("whiteout through a symlink", s -> new TarBuilder().symlink("ln", s.toString()).whiteout("ln/secret"), "is a symlink"));
        c.add(refused("opaque marker through a symlink", s -> new TarBuilder().symlink("ln", s.toString()).opaque("ln"), "is a symlink"));
        c.add(refused("hard link through a symlink parent", s -> new TarBuilder().file("f", "x").symlink("ln", s.toString()).hardlink("ln/h", "f"), "is a symlink"));
        c.add(refused("directory swapped for a symlink, then written through", s -> new TarBuilder().dir("d", 0755)
                .symlink("d", s.toString()).file("d/pwned", "x"), "is a symlink"));
        c.add(refused("hard link escaping with dot-dot", s -> new TarBuilder().hardlink("h", "../sentinel/secret"), "leaves the layer"));
        c.add(refused("hard link to an absolute path", s -> new TarBuilder().hardlink("h", s.resolve("secret").toString()), "absolute path"));
        c.add(refused("hard link to a path outside the layer", s -> new TarBuilder().hardlink("h", "etc/passwd"), "not in this layer"));
        c.add(refused("hard link to a directory", s -> new TarBuilder().dir("d", 0755).hardlink("h", "d"), "not a file"));
        c.add(refused("layer root replaced by a symlink (CVE-2021-29136)", s -> new TarBuilder().symlink(".", s.toString()), "layer root"));
        c.add(refused("layer root replaced by a file", s -> new TarBuilder().file(".", "x"), "layer root"));
        c.add(refused("file under a file", s -> new TarBuilder().file("f", "x").file("f/g", "y"), "not a directory"));
        c.add(refused("whiteout with an empty name", s -> new TarBuilder().file(".wh.", new byte[0], 0644), "whiteout with an invalid name"));
        c.add(refused("whiteout of dot-dot", s -> new TarBuilder().file("a/.wh...", new byte[0], 0644), "whiteout with an invalid name"));
        c.add(refused("owner id out of range", s -> new TarBuilder().owner(1L << 33, 0).file("big-uid", "x"), "out of range"));
        c.add(new Case("too many entries", s -> {
            TarBuilder t = new TarBuilder();
            for (int i = 0; i < 150; i++) {
                t.file("f" + i, "x");
            }
            return layer(t);
        }, "more than 100 entries", ErrorKind.RESOURCE_EXHAUSTED));
        c.add(new Case("path longer than the limit", s -> layer(new TarBuilder().file("a".repeat(600), "x")), "longer than 512", ErrorKind.INVALID_ARGUMENT));
        c.add(new Case("symlink target longer than the limit", s -> layer(new TarBuilder().symlink("l", "b".repeat(600))), "longer than 512", ErrorKind.INVALID_ARGUMENT));
        c.add(new Case("xattrs over the limit", s -> layer(new TarBuilder().fileWithXattrs("x", "x", Map.of("user.big", "v".repeat(5000)))),
                "extended attributes exceed", ErrorKind.RESOURCE_EXHAUSTED));
        c.add(new Case("gzip bomb over the size cap", s -> layer(new TarBuilder().file("zeros", new byte[3 << 20], 0644)),
                "uncompressed size exceeds", ErrorKind.RESOURCE_EXHAUSTED));
        c.add(new Case("zstd bomb over the size cap", s -> {
            byte[] tar = new TarBuilder().file("zeros", new byte[3 << 20], 0644).build();
            return new ImageBuilder().layer(zstd(tar), MediaTypes.OCI_LAYER_ZSTD, Digest.of(tar)).build();
        }, "uncompressed size exceeds", ErrorKind.RESOURCE_EXHAUSTED));
        c.add(new Case("wrong diff_id", s -> {
            byte[] tar = new TarBuilder().file("a", "x").build();
            return new ImageBuilder().layer(ImageBuilder.gzip(tar), MediaTypes.OCI_LAYER_GZIP, Digest.ofString("not this")).build();
        }, "diff_id mismatch", ErrorKind.DATA_LOSS));
        c.add(new Case("truncated gzip", s -> {
            byte[] tar = new TarBuilder().file("a", new byte[200_000], 0644).file("b", "y").build();
            byte[] gz = ImageBuilder.gzip(tar);
            return new ImageBuilder().layer(Arrays.copyOf(gz, gz.length / 2), MediaTypes.OCI_LAYER_GZIP, Digest.of(tar)).build();
        }, "unpack failed", ErrorKind.DATA_LOSS));
        c.add(new Case("truncated tar inside valid gzip", s -> {
            byte[] tar = new TarBuilder().file("a", new byte[20_000], 0644).build();
            byte[] cut = Arrays.copyOf(tar, 5_000);
            return new ImageBuilder().layer(ImageBuilder.gzip(cut), MediaTypes.OCI_LAYER_GZIP, Digest.of(cut)).build();
        }, "unpack failed", ErrorKind.DATA_LOSS));
        c.add(new Case("garbage instead of a tar", s -> {
            byte[] junk = "this is not a tar archive at all, just text that goes on".repeat(20).getBytes(StandardCharsets.UTF_8);
            return new ImageBuilder().layer(junk, MediaTypes.OCI_LAYER_TAR, Digest.of(junk)).build();
        }, "unpack failed", ErrorKind.DATA_LOSS));
        c.add(new Case("diff_ids count mismatch", s -> new ImageBuilder().layer(Map.of("a", "b")).layer(Map.of("c", "d"))
                .diffIdCount(1).build(), "mismatched image rootfs and manifest layers", ErrorKind.INVALID_ARGUMENT));
        c.add(new Case("too many layers", s -> {
            ImageBuilder b = new ImageBuilder();
            for (int i = 0; i < 17; i++) {
                b.layer(Map.of("f" + i, "x"));
            }
            return b.build();
        }, "exceed the limit of 16", ErrorKind.RESOURCE_EXHAUSTED));
        return c.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void refusedWithTheImageLayerAndReasonNamedAndNothingTouched(Case c) throws IOException {
        Map<String, String> before = snapshotOf(sentinel);
        ImageBuilder.Image img = c.image().apply(sentinel);
        registry.addImage("hostile/img", "t", img);
        String ref = registry.host() + "/hostile/img:t";
        OciMountException e = assertThrows(OciMountException.class, () -> images.pull(ref, Credentials.NONE, Cancellation.none()));
        String m = e.getMessage();
        assertTrue(m.contains(c.reason()), m);
        assertTrue(m.contains(ref), "names the image: " + m);
        if (!c.name().contains("count mismatch") && !c.name().contains("too many layers")) {
            assertTrue(m.contains(img.layers().get(img.layers().size() - 1).digest().toString()), "names the layer: " + m);
        }
        assertEquals(c.kind(), e.kind(), m);
        assertEquals(before, snapshotOf(sentinel), "the sentinel directory beside the store is untouched");
        assertTrue(images.status(ref).isEmpty(), "no image recorded");
        assertEquals(List.of(), temporaryDirsOnceSettled(root), "no temporary snapshot left behind");
        assertTrue(committedSnapshots(root) <= 1, "at most the harmless base layer was committed");
    }

    @Test
    void binaryXattrValueSurvivesByteForByte() throws Exception {
        byte[] cap = {0x01, 0x00, 0x00, 0x02, (byte) 0x80, (byte) 0xff, 0x00, 0x00, 0x0a, (byte) 0xfe, 0x00, 0x00};
        ImageBuilder.Image img = new ImageBuilder().layer(new TarBuilder().fileWithBinaryXattr("bin/tool", "#!/bin/true\n", "user.blob", cap).build()).build();
        registry.addImage("ok/img", "t", img);
        ImageRecord r = images.pull(registry.host() + "/ok/img:t", Credentials.NONE, Cancellation.none());
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

    private static Map<String, String> snapshotOf(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                out.put(dir.relativize(p).toString(), Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        ? Files.readString(p) : Files.isSymbolicLink(p) ? "->" + Files.readSymbolicLink(p) : "dir");
            }
        }
        return out;
    }

    static byte[] zstd(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
