package io.ocimount.image;

import io.ocimount.policy.audit.Requester;
import io.ocimount.testkit.TestImages;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.oci.Digest;
import io.ocimount.oci.MediaTypes;
import io.ocimount.registry.Credentials;
import io.ocimount.sys.Syscalls;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a pulled image's snapshots hold: every file type and attribute, in overlayfs form. */
@Tag("native")
class UnpackTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    @TempDir
    Path root;
    FakeRegistry registry;
    ImageService images;

    @BeforeEach
    void start() throws Exception {
        registry = new FakeRegistry("127.0.0.1");
        images = newService();
    }

    private ImageService newService() {
        return TestImages.create(root);
    }

    @AfterEach
    void stop() {
        images.close();
        registry.close();
    }

    /** Four layers: gzip, gzip, plain tar, zstd; whiteouts, an opaque directory, links, nodes and odd modes. */
    static ImageBuilder.Image sample() {
        return sample(true);
    }

    /** @param zstdTop whether the top layer is zstd (Debian's umoci cannot read zstd, so the oracle uses gzip) */
    static ImageBuilder.Image sample(boolean zstdTop) {
        byte[] l1 = new TarBuilder()
                .dir("etc", 0755).file("etc/passwd", "root:x:0:0\n").file("etc/old", "to be deleted")
                .dir("root", 0700).dir("tmp", 01777)
                .dir("bin", 0755).file("bin/tool", "#!/bin/sh\necho tool\n".getBytes(StandardCharsets.UTF_8), 04755)
                .dir("usr", 0755).dir("usr/lib", 0755).file("usr/lib/libc.so", "ELF")
                .hardlink("usr/lib/libc.so.6", "usr/lib/libc.so").symlink("lib", "usr/lib")
                .symlink("dangling", "/no/such//target/").dir("run", 0755).fifo("run/fifo")
                .dir("dev", 0755).charDevice("dev/null", 1, 3)
                .fileWithXattrs("etc/tagged", "x", Map.of("user.note", "hello", "trusted.overlay.redirect", "/etc"))
                .dir("opt", 0755).dir("opt/app", 0750).file("opt/app/a", "a").file("opt/app/b", "b")
                .build();
        byte[] l2 = new TarBuilder()
                .whiteout("etc/old")
                .opaque("opt/app").file("opt/app/c", "c")
                .file("root/.bashrc", "PS1=#\n")
                .owner(1000, 1001).dir("home", 0755).dir("home/u", 0700).file("home/u/f", "mine").owner(0, 0)
                .build();
        byte[] l3 = new TarBuilder().file("etc/passwd", "root:x:0:0\nu:x:1000:1001\n").whiteout("bin").dir("bin", 0711)
                .file("bin/new", "new").build();
        byte[] l4 = new TarBuilder().file("zstd.txt", "from a zstd layer").build();
        ImageBuilder b = new ImageBuilder().layer(l1).layer(l2).layer(l3, MediaTypes.OCI_LAYER_TAR, Digest.of(l3));
        return (zstdTop ? b.layer(ImageBuilder.zstd(l4), MediaTypes.OCI_LAYER_ZSTD, Digest.of(l4)) : b.layer(l4)).build();
    }

    private List<Path> pullSample() {
        registry.addImage("unpack/img", "t", sample());
        ImageRecord r = images.pull(registry.host() + "/unpack/img:t", Requester.CLI, Credentials.NONE, Cancellation.none());
        return r.chainIds().stream().map(c -> HostileLayerTest.snapshotPath(root, c)).toList();
    }

    @Test
    void filesDirectoriesLinksAndNodesKeepTypeModeOwnerAndTime() throws Exception {
        Path l1 = pullSample().get(0);
        assertEquals("root:x:0:0\n", Files.readString(l1.resolve("etc/passwd")));
        assertEquals(04755, mode(l1.resolve("bin/tool")), "setuid kept");
        assertEquals(01777, mode(l1.resolve("tmp")), "sticky kept");
        assertEquals(0700, mode(l1.resolve("root")));
        assertEquals(Files.getAttribute(l1.resolve("usr/lib/libc.so"), "unix:ino"),
                Files.getAttribute(l1.resolve("usr/lib/libc.so.6"), "unix:ino"), "hard link shares the inode");
        assertEquals("usr/lib", Files.readSymbolicLink(l1.resolve("lib")).toString());
        assertEquals("/no/such//target/", readLinkBytes(l1.resolve("dangling")), "symlink target stored verbatim");
        assertEquals("p", fileType(l1.resolve("run/fifo")));
        assertEquals("c", fileType(l1.resolve("dev/null")));
        assertEquals(Syscalls.makedev(1, 3), ((Number) Files.getAttribute(l1.resolve("dev/null"), "unix:rdev", NOFOLLOW)).longValue());
        assertEquals(TarBuilder.MTIME, Files.getLastModifiedTime(l1.resolve("etc/passwd")).toInstant());
        assertEquals(TarBuilder.MTIME, Files.getLastModifiedTime(l1.resolve("etc"), NOFOLLOW).toInstant(), "directory time set after its children");
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), Syscalls.lgetxattr(l1.resolve("etc/tagged"), "user.note"));
        assertNull(Syscalls.lgetxattr(l1.resolve("etc/tagged"), "trusted.overlay.redirect"), "overlay metadata is never taken from an image");
    }

    @Test
    void whiteoutsBecomeOverlayWhiteoutsAndOpaqueDirectoriesAreMarked() throws Exception {
        List<Path> s = pullSample();
        Path l2 = s.get(1);
        assertEquals("c", fileType(l2.resolve("etc/old")));
        assertEquals(0L, ((Number) Files.getAttribute(l2.resolve("etc/old"), "unix:rdev", NOFOLLOW)).longValue(), "a 0/0 device");
        assertFalse(Files.exists(l2.resolve("etc/.wh.old"), NOFOLLOW), "the marker itself is not written");
        assertArrayEquals(new byte[] {'y'}, Syscalls.lgetxattr(l2.resolve("opt/app"), "trusted.overlay.opaque"));
        assertFalse(Files.exists(l2.resolve("opt/app/.wh..wh..opq"), NOFOLLOW));
        assertEquals("c", Files.readString(l2.resolve("opt/app/c")), "same-layer children of an opaque directory stay");
        assertEquals(1000, Files.getAttribute(l2.resolve("home/u/f"), "unix:uid"));
        assertEquals(1001, Files.getAttribute(l2.resolve("home/u/f"), "unix:gid"));
        Path l3 = s.get(2);
        assertArrayEquals(new byte[] {'y'}, Syscalls.lgetxattr(l3.resolve("bin"), "trusted.overlay.opaque"),
                "a directory made where the same layer whited out one is opaque");
        assertEquals(0711, mode(l3.resolve("bin")));
        assertEquals("from a zstd layer", Files.readString(s.get(3).resolve("zstd.txt")));
    }

    @Test
    void implicitParentDirectoriesTakeTheirAttributesFromTheLayerBelow() throws Exception {
        Path l2 = pullSample().get(1);
        assertEquals(0700, mode(l2.resolve("root")), "root/ was not in layer 2; it must not become 0755 over layer 1's 0700");
        assertEquals(0750, mode(l2.resolve("opt/app")), "an opaque directory's missing entry copies the lower one too");
        assertFalse(Files.exists(l2.getParent().resolve("implicit-dirs")), "implicit directories completed");
    }

    @Test
    void mediaTypeThatLiesAboutCompressionIsDetectedFromTheBytes() throws Exception {
        byte[] tar = new TarBuilder().file("hello", "world").build();
        byte[] tar2 = new TarBuilder().file("zstd-said-gzip", "yes").build();
        ImageBuilder.Image img = new ImageBuilder().layer(ImageBuilder.gzip(tar), MediaTypes.OCI_LAYER_TAR, Digest.of(tar))
                .layer(ImageBuilder.zstd(tar2), MediaTypes.DOCKER_LAYER_GZIP, Digest.of(tar2)).build();
        registry.addImage("liar/img", "t", img);
        ImageRecord r = images.pull(registry.host() + "/liar/img:t", Requester.CLI, Credentials.NONE, Cancellation.none());
        assertEquals("world", Files.readString(HostileLayerTest.snapshotPath(root, r.chainIds().get(0)).resolve("hello")));
        assertEquals("yes", Files.readString(HostileLayerTest.snapshotPath(root, r.chainIds().get(1)).resolve("zstd-said-gzip")),
                "a Docker gzip media type on a zstd blob");
    }

    @Test
    void sharedLayersAreUnpackedOnceAndRemovedWithTheLastImage() throws Exception {
        byte[] base = new TarBuilder().file("base", "shared").build();
        ImageBuilder.Image a = new ImageBuilder().layer(base).layer(new TarBuilder().file("a", "a").build()).build();
        ImageBuilder.Image b = new ImageBuilder().layer(base).layer(new TarBuilder().file("b", "b").build()).build();
        registry.addImage("share/a", "t", a);
        registry.addImage("share/b", "t", b);
        String refA = registry.host() + "/share/a:t";
        String refB = registry.host() + "/share/b:t";
        images.pull(refA, Requester.CLI, Credentials.NONE, Cancellation.none());
        long baseFetches = registry.requests.stream().filter(q -> q.contains(a.layers().get(0).digest().toString())).count();
        images.pull(refB, Requester.CLI, Credentials.NONE, Cancellation.none());
        assertEquals(baseFetches, registry.requests.stream().filter(q -> q.contains(a.layers().get(0).digest().toString())).count(),
                "the shared bottom layer is reused, not fetched again");
        assertEquals(3, HostileLayerTest.committedSnapshots(root));
        long before = images.usage().bytes();
        images.remove(refA);
        assertEquals(2, HostileLayerTest.committedSnapshots(root), "b still needs the shared base");
        images.remove(refB);
        assertEquals(0, HostileLayerTest.committedSnapshots(root));
        assertTrue(images.usage().bytes() < before, "ImageFsInfo shows the space come back");
    }

    @Test
    void aFileReplacingADirectoryAndTheReverseFollowTheLayerSpec() throws Exception {
        byte[] tar = new TarBuilder().dir("d", 0755).file("d/inner", "gone").file("d", "now a file")
                .file("f", "was a file").dir("f", 0700).file("f/child", "kept")
                .dir("keep", 0755).file("keep/a", "a").dir("keep", 0711).build();
        registry.addImage("replace/img", "t", new ImageBuilder().layer(tar).build());
        ImageRecord r = images.pull(registry.host() + "/replace/img:t", Requester.CLI, Credentials.NONE, Cancellation.none());
        Path s = HostileLayerTest.snapshotPath(root, r.chainIds().get(0));
        assertEquals("now a file", Files.readString(s.resolve("d")));
        assertEquals("kept", Files.readString(s.resolve("f/child")));
        assertEquals(0700, mode(s.resolve("f")));
        assertEquals("a", Files.readString(s.resolve("keep/a")), "directory onto directory keeps the directory");
        assertEquals(0711, mode(s.resolve("keep")), "and takes the later entry's attributes");
    }

    @Test
    void concurrentPullsSharingALayerFetchAndUnpackItOnce() throws Exception {
        byte[] base = new TarBuilder().file("base", "x".repeat(2_000_000)).build();
        ImageBuilder.Image a = new ImageBuilder().layer(base).layer(new TarBuilder().file("a", "a").build()).build();
        ImageBuilder.Image b = new ImageBuilder().layer(base).layer(new TarBuilder().file("b", "b").build()).build();
        registry.addImage("race/a", "t", a);
        registry.addImage("race/b", "t", b);
        registry.slowBlobs(20);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<ImageRecord>> pulls = new java.util.ArrayList<>();
            for (String repo : List.of("race/a", "race/b", "race/a", "race/b")) {
                pulls.add(pool.submit(() -> images.pull(registry.host() + "/" + repo + ":t", Requester.CLI, Credentials.NONE, Cancellation.none())));
            }
            for (var f : pulls) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        String baseDigest = a.layers().get(0).digest().toString();
        assertEquals(1, registry.requests.stream().filter(q -> q.startsWith("GET") && q.endsWith(baseDigest)).count(),
                "one download of the shared layer: " + registry.requests);
        assertEquals(3, HostileLayerTest.committedSnapshots(root), "base, a's top, b's top");
        assertEquals(List.of(), HostileLayerTest.temporaryDirsOnceSettled(root));
    }

    @Test
    void leftoversOfAnInterruptedUnpackAreDeletedAtStart() throws Exception {
        Path tmp = Files.createDirectories(root.resolve("snapshots/tmp-interrupted/fs/etc"));
        Files.writeString(tmp.resolve("half"), "written before a kill -9");
        images.close();
        images = newService();
        assertFalse(Files.exists(root.resolve("snapshots/tmp-interrupted")));
    }

    static int mode(Path p) throws Exception {
        return ((Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW)) & 07777;
    }

    static String fileType(Path p) throws Exception {
        int m = (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW) & 0170000;
        return switch (m) {
            case 0010000 -> "p";
            case 0020000 -> "c";
            case 0060000 -> "b";
            case 0040000 -> "d";
            case 0120000 -> "l";
            default -> "f";
        };
    }

    private static String readLinkBytes(Path p) throws Exception {
        Process proc = new ProcessBuilder("readlink", p.toString()).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        proc.waitFor();
        return out.stripTrailing();
    }
}
