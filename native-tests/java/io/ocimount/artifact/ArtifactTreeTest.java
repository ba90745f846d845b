package io.ocimount.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.content.LocalContentStore;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Manifest;
import io.ocimount.oci.ManifestParser;
import io.ocimount.oci.MediaTypes;
import io.ocimount.snapshot.OverlaySnapshotter;
import io.ocimount.testkit.ArtifactBuilder;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import io.ocimount.unpack.LayerApplier;
import io.ocimount.unpack.LayerLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Artifact volume trees built on the real store: names, links, unpacked tar layers, and every refusal. */
@Tag("native")
class ArtifactTreeTest {
    private static final String GZ = MediaTypes.OCI_LAYER_GZIP;
    @TempDir
    Path root;
    LocalContentStore content;
    OverlaySnapshotter snapshots;
    ArtifactTreeBuilder builder;

    @BeforeEach
    void setUp() {
        content = new LocalContentStore(root);
        snapshots = new OverlaySnapshotter(root);
        builder = new ArtifactTreeBuilder(content, snapshots, new LayerApplier(LayerLimits.defaults()));
    }

    private Path build(ImageBuilder.Image a) {
        return builder.ensure("pull \"test/art:1\"", a.manifest().digest(), store(a));
    }

    private Manifest store(ImageBuilder.Image a) {
        Manifest m = (Manifest) ManifestParser.parse(a.manifest().bytes(), MediaTypes.OCI_MANIFEST, "test");
        for (Descriptor d : m.layers()) {
            content.put(d, a.blobs().get(d.digest()));
        }
        return m;
    }

    private static byte[] tgz(TarBuilder t) {
        return ImageBuilder.gzip(t.build());
    }

    @Test
    void twoFilesAndATarLayerMakeTheExpectedDirectory() throws Exception {
        ImageBuilder.Image a = new ArtifactBuilder()
                .file("config.yaml", "replicas: 2\n")
                .file("models/v1/weights.bin", "0123456789")
                .layer(GZ, tgz(new TarBuilder().dir("templates", 0755).file("templates/a.yaml", "kind: A\n")
                        .symlink("templates/link", "/etc/passwd")), Map.of(ArtifactBuilder.TITLE, "chart"))
                .build();
        Path tree = build(a);
        assertEquals("replicas: 2\n", Files.readString(tree.resolve("config.yaml")));
        assertEquals("0123456789", Files.readString(tree.resolve("models/v1/weights.bin")));
        assertEquals("kind: A\n", Files.readString(tree.resolve("chart/templates/a.yaml")));
        assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(tree.resolve("chart/templates/link")),
                "a symlink stays a link inside the tree; it is never followed while building");
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(tree.resolve("config.yaml"))));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(tree.resolve("models/v1"))));
        Object blobInode = Files.getAttribute(content.file(a.layers().get(1).digest()), "unix:ino");
        assertEquals(blobInode, Files.getAttribute(tree.resolve("models/v1/weights.bin"), "unix:ino"),
                "a plain layer is a hard link to the verified blob: no bytes copied");
        assertEquals(List.of("chart", "config.yaml", "models"), names(tree));
        assertEquals(tree, build(a), "a second build reuses the committed tree");
    }

    @Test
    void unnamedTarLayersGoToTheRootAndWhiteoutsOfNothingVanish() throws Exception {
        ImageBuilder.Image a = new ArtifactBuilder().artifactType(null)
                .layer(GZ, tgz(new TarBuilder().file("data/a.txt", "a").whiteout("data/gone")), Map.of())
                .layer(MediaTypes.OCI_LAYER_TAR, new TarBuilder().file("extra.txt", "e").build(), Map.of())
                .layer("application/json", "{}".getBytes(StandardCharsets.UTF_8), Map.of())
                .build();
        Path tree = build(a);
        assertEquals("a", Files.readString(tree.resolve("data/a.txt")));
        assertEquals("e", Files.readString(tree.resolve("extra.txt")));
        assertFalse(Files.exists(tree.resolve("data/gone"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of("data", "extra.txt"), names(tree), "the unnamed JSON layer is not shown");
    }

    @Test
    void orasDirectoryLayersUnpackBesideTheirNameAndPlainFilesTypedTarStayFiles() throws Exception {
        ImageBuilder.Image a = new ArtifactBuilder()
                .layer(GZ, tgz(new TarBuilder().dir("site", 0755).file("site/index.html", "<h1>")),
                        Map.of(ArtifactBuilder.TITLE, "site", LayerPlacement.ORAS_UNPACK, "true"))
                .layer(MediaTypes.OCI_LAYER_TAR, "not a tar at all".getBytes(StandardCharsets.UTF_8),
                        Map.of(ArtifactBuilder.TITLE, "notes.txt"))
                .build();
        Path tree = build(a);
        assertEquals("<h1>", Files.readString(tree.resolve("site/index.html")));
        assertEquals("not a tar at all", Files.readString(tree.resolve("notes.txt")));
    }

    @Test
    void hostileNamesAreRefusedWithTheLayerNamedAndNothingLeft() throws Exception {
        for (String name : List.of("../escape", "/abs", "", "a/../../b")) {
            ImageBuilder.Image a = new ArtifactBuilder().file("ok.txt", "ok").file(name, "evil").build();
            OciMountException e = assertThrows(OciMountException.class, () -> build(a));
            assertTrue(e.getMessage().startsWith("pull \"test/art:1\": artifact layer " + a.layers().get(1).digest()),
                    e.getMessage());
            assertNothingLeft();
        }
        ImageBuilder.Image dup = new ArtifactBuilder().file("x", "1").file("x", "2").build();
        OciMountException e = assertThrows(OciMountException.class, () -> build(dup));
        assertTrue(e.getMessage().contains("duplicate name \"x\""), e.getMessage());
        assertNothingLeft();
    }

    @Test
    void aFileCannotBeWrittenThroughATarLayersSymlink() throws Exception {
        Path outside = Files.createDirectories(root.resolve("outside"));
        ImageBuilder.Image a = new ArtifactBuilder()
                .layer(GZ, tgz(new TarBuilder().symlink("link", outside.toString())), Map.of())
                .file("link/pwned", "x")
                .build();
        OciMountException e = assertThrows(OciMountException.class, () -> build(a));
        assertTrue(e.getMessage().contains("lies inside \"link\""), e.getMessage());
        assertEquals(List.of(), names(outside));
        assertNothingLeft();
    }

    @Test
    void tarEntriesLeavingTheirLayerAreRefusedAsForImages() throws Exception {
        ImageBuilder.Image a = new ArtifactBuilder()
                .layer(GZ, tgz(new TarBuilder().file("../../escaped", "x")), Map.of(ArtifactBuilder.TITLE, "d"))
                .build();
        OciMountException e = assertThrows(OciMountException.class, () -> build(a));
        assertTrue(e.getMessage().contains("(\"d\")"), e.getMessage());
        assertFalse(Files.exists(root.resolve("escaped")));
        ImageBuilder.Image oras = new ArtifactBuilder()
                .layer(GZ, tgz(new TarBuilder().file("site/a", "a").file("other", "b")),
                        Map.of(ArtifactBuilder.TITLE, "site", LayerPlacement.ORAS_UNPACK, "true"))
                .build();
        OciMountException o = assertThrows(OciMountException.class, () -> build(oras));
        assertTrue(o.getMessage().contains("ORAS directory layer holds [other, site]"), o.getMessage());
        assertNothingLeft();
    }

    @Test
    void aTarLayerWhoseCompressionIsBrokenIsRefusedWithTheReasonNotShownAsAFile() throws Exception {
        byte[] gz = tgz(new TarBuilder().file("a.txt", "x".repeat(100_000)));
        ImageBuilder.Image a = new ArtifactBuilder()
                .layer(GZ, java.util.Arrays.copyOf(gz, 20), Map.of(ArtifactBuilder.TITLE, "data"))
                .build();
        OciMountException e = assertThrows(OciMountException.class, () -> build(a));
        assertTrue(e.getMessage().contains("artifact layer " + a.layers().get(0).digest() + " (\"data\"): gzip stream"),
                e.getMessage());
        assertNothingLeft();
    }

    private void assertNothingLeft() throws Exception {
        assertEquals(0, snapshots.list().size());
        assertEquals(List.of(), names(root.resolve("snapshots")), "no prepared tree is left behind");
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
