package io.ocimount.testkit;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.oci.Digest;
import io.ocimount.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The hostile corpus: hand-built images whose top layer (or whose config) must be refused. Each case builds its
 * image against a sentinel directory beside the store, the place its links and paths aim at. A case the layer
 * extractor refuses on its own is {@code byExtractor}: applying its top layer alone fails with the same reason; the
 * others (diff_id, truncation, layer counts) are refused by the pull around it.
 */
public final class HostileLayers {
    /** The limits the corpus is built against: 100 entries, 512-byte paths, 4 KiB of xattrs, 1 MiB unpacked. */
    public static final int MAX_ENTRIES = 100;
    public static final int MAX_PATH = 512;
    public static final int MAX_XATTR_BYTES = 4096;
    public static final long MAX_BYTES = 1 << 20;

    private HostileLayers() {
    }

    /** One hostile case: how to build the image, a fragment the refusal must contain, and its error kind. */
    public record Case(String name, Function<Path, ImageBuilder.Image> image, String reason, ErrorKind kind,
                       boolean byExtractor) {
        @Override
        public String toString() {
            return name;
        }

        /** The top layer's blob, as served. */
        public byte[] topLayer(Path sentinel) {
            List<ImageBuilder.Blob> layers = image.apply(sentinel).layers();
            return layers.get(layers.size() - 1).bytes();
        }
    }

    private static ImageBuilder.Image onBase(TarBuilder t) {
        return new ImageBuilder().layer(Map.of("base.txt", "base")).layer(t.build()).build();
    }

    private static Case refused(String name, Function<Path, TarBuilder> tar, String reason) {
        return new Case(name, s -> onBase(tar.apply(s)), reason, ErrorKind.INVALID_ARGUMENT, true);
    }

    private static Case overLimit(String name, Function<Path, ImageBuilder.Image> image, String reason) {
        return new Case(name, image, reason, ErrorKind.RESOURCE_EXHAUSTED, true);
    }

    public static List<Case> corpus() {
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
        c.add(overLimit("too many entries", s -> {
            TarBuilder t = new TarBuilder();
            for (int i = 0; i < MAX_ENTRIES + 50; i++) {
                t.file("f" + i, "x");
            }
            return onBase(t);
        }, "more than " + MAX_ENTRIES + " entries"));
        c.add(refused("path longer than the limit", s -> new TarBuilder().file("a".repeat(MAX_PATH + 88), "x"), "longer than " + MAX_PATH));
        c.add(refused("symlink target longer than the limit", s -> new TarBuilder().symlink("l", "b".repeat(MAX_PATH + 88)), "longer than " + MAX_PATH));
        c.add(overLimit("xattrs over the limit", s -> onBase(new TarBuilder().fileWithXattrs("x", "x",
                Map.of("user.big", "v".repeat(MAX_XATTR_BYTES + 904)))), "extended attributes exceed"));
        c.add(overLimit("gzip bomb over the size cap", s -> onBase(new TarBuilder().file("zeros", new byte[3 << 20], 0644)),
                "uncompressed size exceeds"));
        c.add(overLimit("zstd bomb over the size cap", s -> {
            byte[] tar = new TarBuilder().file("zeros", new byte[3 << 20], 0644).build();
            return new ImageBuilder().layer(ImageBuilder.zstd(tar), MediaTypes.OCI_LAYER_ZSTD, Digest.of(tar)).build();
        }, "uncompressed size exceeds"));
        c.add(refusedByThePull("wrong diff_id", s -> {
            byte[] tar = new TarBuilder().file("a", "x").build();
            return new ImageBuilder().layer(ImageBuilder.gzip(tar), MediaTypes.OCI_LAYER_GZIP, Digest.ofString("not this")).build();
        }, "diff_id mismatch", ErrorKind.DATA_LOSS));
        c.add(refusedByThePull("truncated gzip", s -> {
            byte[] tar = new TarBuilder().file("a", new byte[200_000], 0644).file("b", "y").build();
            byte[] gz = ImageBuilder.gzip(tar);
            return new ImageBuilder().layer(Arrays.copyOf(gz, gz.length / 2), MediaTypes.OCI_LAYER_GZIP, Digest.of(tar)).build();
        }, "unpack failed", ErrorKind.DATA_LOSS));
        c.add(refusedByThePull("truncated tar inside valid gzip", s -> {
            byte[] tar = new TarBuilder().file("a", new byte[20_000], 0644).build();
            byte[] cut = Arrays.copyOf(tar, 5_000);
            return new ImageBuilder().layer(ImageBuilder.gzip(cut), MediaTypes.OCI_LAYER_GZIP, Digest.of(cut)).build();
        }, "unpack failed", ErrorKind.DATA_LOSS));
        c.add(refusedByThePull("garbage instead of a tar", s -> {
            byte[] junk = "this is not a tar archive at all, just text that goes on".repeat(20).getBytes(StandardCharsets.UTF_8);
            return new ImageBuilder().layer(junk, MediaTypes.OCI_LAYER_TAR, Digest.of(junk)).build();
        }, "unpack failed", ErrorKind.DATA_LOSS));
        c.add(refusedByThePull("diff_ids count mismatch", s -> new ImageBuilder().layer(Map.of("a", "b")).layer(Map.of("c", "d"))
                .diffIdCount(1).build(), "mismatched image rootfs and manifest layers", ErrorKind.INVALID_ARGUMENT));
        c.add(refusedByThePull("too many layers", s -> {
            ImageBuilder b = new ImageBuilder();
            for (int i = 0; i < 17; i++) {
                b.layer(Map.of("f" + i, "x"));
            }
            return b.build();
        }, "exceed the limit of 16", ErrorKind.RESOURCE_EXHAUSTED));
        return c;
    }

    private static Case refusedByThePull(String name, Function<Path, ImageBuilder.Image> image, String reason, ErrorKind kind) {
        return new Case(name, image, reason, kind, false);
    }
}
