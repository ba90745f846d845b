package io.ocimount.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocimount.oci.Digest;
import io.ocimount.oci.ImageConfig;
import io.ocimount.oci.Index;
import io.ocimount.oci.Json;
import io.ocimount.oci.Manifest;
import io.ocimount.oci.ManifestParser;
import io.ocimount.oci.MediaTypes;
import io.ocimount.oci.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

class PackerTest {
    private static final Platform AMD64 = new Platform("linux", "amd64", "");
    @TempDir
    Path tmp;
    Path src;

    @BeforeEach
    void tree() throws IOException {
        src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("b.txt"), "bee");
        Files.createDirectories(src.resolve("a/deep"));
        Files.writeString(src.resolve("a/deep/tool.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(src.resolve("a/deep/tool.sh"), PosixFilePermissions.fromString("rwx------"));
        Files.writeString(src.resolve("Z"), "capital sorts first");
        Files.createSymbolicLink(src.resolve("link"), Path.of("b.txt"));
    }

    private Packed image(Path out, List<Platform> platforms, long mtime) throws IOException {
        return Packer.pack(new Packer.Options(src, false, null, platforms, mtime), out, false);
    }

    private Packed image(Path out, List<Platform> platforms, long mtime, GzipEngine gzip) throws IOException {
        return Packer.pack(new Packer.Options(List.of(LayerSource.everyPlatform(src)), false, null, platforms, mtime,
                RunConfig.NONE, gzip), out, false);
    }

    @Test
    void samePackTwiceIsTheSameDigestWhatever_TimesModesAndOwnerSay() throws IOException {
        Digest first = image(tmp.resolve("o1"), List.of(AMD64), 0).top().digest();
        Files.setLastModifiedTime(src.resolve("b.txt"), FileTime.fromMillis(123_456_789_000L));
        Files.setPosixFilePermissions(src.resolve("b.txt"), PosixFilePermissions.fromString("rw-------"));
        assertEquals(first, image(tmp.resolve("o2"), List.of(AMD64), 0).top().digest());
        assertNotEquals(first, image(tmp.resolve("o3"), List.of(AMD64), 86_400).top().digest(), "the mtime is part of it");
        Files.writeString(src.resolve("b.txt"), "changed");
        assertNotEquals(first, image(tmp.resolve("o4"), List.of(AMD64), 0).top().digest());
    }

    @Test
    void layerIsANormalizedSortedTarAndTheConfigCarriesItsDiffId() throws IOException {
        Packed p = image(tmp.resolve("o"), List.of(AMD64), 1_700_000_000L);
        Manifest m = (Manifest) ManifestParser.parse(read(p, p.top().digest()), MediaTypes.OCI_MANIFEST, "t");
        ImageConfig config = ImageConfig.parse(read(p, m.config().digest()), "config");
        assertEquals(AMD64, config.platform());
        byte[] tar;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p.dir().file(m.layers().get(0).digest())))) {
            tar = in.readAllBytes();
        }
        assertEquals(List.of(Digest.of(tar)), config.diffIds(), "diff_id is the uncompressed layer's digest");
        assertEquals(MediaTypes.OCI_LAYER_GZIP, m.layers().get(0).mediaType());

        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream t = new TarArchiveInputStream(new java.io.ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
                names.add(e.getName());
                assertEquals(0, e.getLongUserId());
                assertEquals(0, e.getLongGroupId());
                assertEquals("", e.getUserName());
                assertEquals(1_700_000_000_000L, e.getModTime().getTime());
                int perms = e.getMode() & 07777;
                switch (e.getName()) {
                    case "a/deep/tool.sh", "a/", "a/deep/" -> assertEquals(0755, perms, e.getName());
                    case "b.txt", "Z" -> assertEquals(0644, perms, e.getName());
                    case "link" -> assertEquals("b.txt", e.getLinkName());
                    default -> throw new AssertionError("unexpected entry " + e.getName());
                }
            }
        }
        assertEquals(List.of("Z", "a/", "a/deep/", "a/deep/tool.sh", "b.txt", "link"), names, "byte order, parents first");
    }

    @Test
    void aFileWithTwoNamesIsPackedOnceAndLinked() throws IOException {
        Files.createLink(src.resolve("c-second-name"), src.resolve("b.txt"));
        Packed p = image(tmp.resolve("o"), List.of(AMD64), 0);
        Manifest m = (Manifest) ManifestParser.parse(read(p, p.top().digest()), MediaTypes.OCI_MANIFEST, "t");
        try (TarArchiveInputStream t = new TarArchiveInputStream(new GZIPInputStream(
                Files.newInputStream(p.dir().file(m.layers().get(0).digest()))))) {
            for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
                if (e.getName().equals("c-second-name")) {
                    assertTrue(e.isLink(), "a hard link entry, not a second copy");
                    assertEquals("b.txt", e.getLinkName());
                    return;
                }
            }
        }
        throw new AssertionError("no entry for the second name");
    }

    @Test
    void severalPlatformsMakeAnIndexOverOneSharedLayer() throws IOException {
        Platform arm = new Platform("linux", "arm64", "");
        Packed p = image(tmp.resolve("o"), List.of(AMD64, arm), 0);
        assertEquals(MediaTypes.OCI_INDEX, p.top().mediaType());
        Index index = (Index) ManifestParser.parse(read(p, p.top().digest()), MediaTypes.OCI_INDEX, "t");
        assertEquals(List.of(AMD64, arm), index.manifests().stream().map(d -> d.platform()).toList());
        Manifest a = (Manifest) ManifestParser.parse(read(p, index.manifests().get(0).digest()), MediaTypes.OCI_MANIFEST, "t");
        Manifest b = (Manifest) ManifestParser.parse(read(p, index.manifests().get(1).digest()), MediaTypes.OCI_MANIFEST, "t");
        assertEquals(a.layers(), b.layers());
        assertEquals("arm64", ImageConfig.parse(read(p, b.config().digest()), "c").platform().architecture());
        assertEquals(2, p.manifests().size());
    }

    @Test
    void artifactIsOneTitledLayerPerFileOnTheEmptyConfig() throws IOException {
        Files.delete(src.resolve("link"));
        Packed p = Packer.pack(new Packer.Options(src, true, "application/vnd.example.set", List.of(AMD64), 0), tmp.resolve("o"), false);
        Manifest m = (Manifest) ManifestParser.parse(read(p, p.top().digest()), MediaTypes.OCI_MANIFEST, "t");
        assertTrue(m.isArtifact());
        assertEquals("application/vnd.example.set", m.artifactType());
        assertEquals(MediaTypes.OCI_EMPTY, m.config().mediaType());
        assertEquals(List.of("Z", "a/deep/tool.sh", "b.txt"),
                m.layers().stream().map(l -> l.annotations().get("org.opencontainers.image.title")).toList());
        assertEquals("bee", new String(read(p, m.layers().get(2).digest())));
        assertNull(m.layers().get(0).platform());
    }

    @Test
    void stagingAnArtifactForAPushReadsTheFilesInPlace() throws IOException {
        Files.delete(src.resolve("link"));
        Packed p = Packer.pack(new Packer.Options(src, true, null, List.of(AMD64), 0), tmp.resolve("o"), true);
        Manifest m = (Manifest) ManifestParser.parse(read(p, p.top().digest()), MediaTypes.OCI_MANIFEST, "t");
        assertEquals(src.resolve("b.txt"), p.dir().file(m.layers().get(2).digest()), "no copy of a file to push");
        assertEquals(Digest.of("bee".getBytes()), m.layers().get(2).digest());
        try (var s = Files.list(tmp.resolve("o/blobs/sha256"))) {
            assertEquals(2, s.count(), "only the empty config and the manifest are written");
        }
    }

    @Test
    void artifactRefusesLinksAndSpecialFilesAreRefusedForImages() throws Exception {
        IOException link = assertThrows(IOException.class,
                () -> Packer.pack(new Packer.Options(src, true, null, List.of(AMD64), 0), tmp.resolve("o"), false));
        assertTrue(link.getMessage().contains("link: symlinks cannot be packed into an artifact"), link.getMessage());
        assertEquals(0, new ProcessBuilder("mkfifo", src.resolve("pipe").toString()).start().waitFor());
        IOException fifo = assertThrows(IOException.class, () -> image(tmp.resolve("o2"), List.of(AMD64), 0));
        assertTrue(fifo.getMessage().contains("pipe: not a file, directory or symlink"), fifo.getMessage());
    }

    @Test
    void ociLayoutIndexKeepsOtherTagsAndReplacesTheSameOne() throws IOException {
        Path layout = tmp.resolve("layout");
        Packed one = image(layout, List.of(AMD64), 0);
        Packer.tagInLayout(layout, one, "v1");
        Files.writeString(src.resolve("b.txt"), "new");
        Packed two = image(layout, List.of(AMD64), 0);
        Packer.tagInLayout(layout, two, "v2");
        Packer.tagInLayout(layout, two, "v1");
        var index = Json.parse(Files.readAllBytes(layout.resolve("index.json")), "index");
        assertEquals(2, index.path("manifests").size());
        for (var m : index.path("manifests")) {
            assertEquals(two.top().digest().toString(), m.path("digest").asString());
        }
        assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(layout.resolve("oci-layout")));
        assertTrue(Files.exists(layout.resolve("blobs/sha256/" + one.top().digest().hex())), "old blobs stay");
    }

    /**
     * Every file of a layout packed from a fixed tree, by content, with each engine: for zlib, what `ocimount pack`
     * wrote before its blob directory became the content package's. A change here changes every packed image's
     * digest. (The layer's bytes also depend on the system's zlib, or libdeflate, version: these are Debian 12's.)
     */
    @ParameterizedTest
    @EnumSource(GzipEngine.class)
    void aFixedTreePacksToTheSameLayoutBytesAsBefore(GzipEngine gzip) throws IOException {
        assumeTrue(gzip.unavailableBecause() == null, gzip.unavailableBecause());
        Path layout = tmp.resolve("layout");
        Packer.tagInLayout(layout, image(layout, List.of(AMD64, new Platform("linux", "arm64", "v8")), 1_700_000_000L,
                gzip), "v1");
        Path files = Files.createDirectories(tmp.resolve("files/sub"));
        Files.writeString(files.resolve("one.txt"), "one");
        Files.writeString(files.resolve("two.txt"), "two");
        Files.writeString(files.getParent().resolve("same-as-one.txt"), "one");
        Packer.tagInLayout(layout, Packer.pack(new Packer.Options(files.getParent(), true, null, List.of(AMD64), 0),
                layout, false), "files");
        List<String> listing = new ArrayList<>();
        try (var s = Files.walk(layout)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = layout.relativize(f).toString();
                String hex = Digest.of(Files.readAllBytes(f)).hex();
                if (rel.startsWith("blobs/")) {
                    assertEquals("blobs/sha256/" + hex, rel, "a blob is named by its digest");
                    listing.add(hex.substring(0, 16) + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
                } else {
                    listing.add(rel + " " + hex.substring(0, 16));
                }
            }
        }
        assertEquals(gzip == GzipEngine.ZLIB
                ? List.of("30ee1fc7eb606546 rw-r--r--", "3fc4ccfe745870e2 rw-r--r--", "44136fa355b3678a rw-r--r--",
                        "59b201f9f265377f rw-r--r--", "6570410345787764 rw-r--r--", "7692c3ad3540bb80 rw-r--r--",
                        "a5e1a23706058e98 rw-r--r--", "ad7ef3933dc49267 rw-r--r--", "b370ea83c0543668 rw-r--r--",
                        "e4fafb8d42408e3f rw-r--r--", "index.json 1739cb65d27d9ced", "oci-layout 18f0797eab35a459")
                : List.of("3fc4ccfe745870e2 rw-r--r--", "44136fa355b3678a rw-r--r--", "646af348f43c1951 rw-r--r--",
                        "7692c3ad3540bb80 rw-r--r--", "ad7ef3933dc49267 rw-r--r--", "b370ea83c0543668 rw-r--r--",
                        "d8b35ad3fd510827 rw-r--r--", "e4fafb8d42408e3f rw-r--r--", "fd3f009851d62e6f rw-r--r--",
                        "ff7910a7d4221271 rw-r--r--", "index.json 8d5c25f41549e3f9", "oci-layout 18f0797eab35a459"),
                listing);
    }

    @Test
    void eachDirectoryIsItsOwnLayerAndARebuildWithOneChangedReusesTheOtherBlob() throws IOException {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(app.resolve("app.jar"), "v1");
        RunConfig run = new RunConfig(List.of("/a/deep/tool.sh"), null, List.of("A=1"), "/a", null, Map.of(), List.of());
        Packed first = layers(tmp.resolve("o1"), run, src, app);
        Manifest m1 = (Manifest) ManifestParser.parse(read(first, first.top().digest()), MediaTypes.OCI_MANIFEST, "t");
        assertEquals(2, m1.layers().size());
        ImageConfig c1 = ImageConfig.parse(read(first, m1.config().digest()), "config");
        assertEquals(2, c1.diffIds().size(), "one diff_id per layer, bottom first");
        var config = Json.parse(read(first, m1.config().digest()), "config");
        assertEquals(2, config.path("history").size(), "one history entry per layer");
        assertEquals("/a", config.path("config").path("WorkingDir").asString());
        assertEquals(first.top().digest(), layers(tmp.resolve("o2"), run, src, app).top().digest(), "reproducible");

        Files.writeString(app.resolve("app.jar"), "v2");
        Packed second = layers(tmp.resolve("o3"), run, src, app);
        Manifest m2 = (Manifest) ManifestParser.parse(read(second, second.top().digest()), MediaTypes.OCI_MANIFEST, "t");
        assertEquals(m1.layers().get(0), m2.layers().get(0), "the unchanged directory's blob is reused");
        assertNotEquals(m1.layers().get(1).digest(), m2.layers().get(1).digest());
        assertEquals(c1.diffIds().get(0), ImageConfig.parse(read(second, m2.config().digest()), "config").diffIds().get(0));

        Packed twice = layers(tmp.resolve("o4"), RunConfig.NONE, app, app);
        assertEquals(2, ((Manifest) ManifestParser.parse(read(twice, twice.top().digest()), MediaTypes.OCI_MANIFEST, "t"))
                .layers().size());
        assertEquals(2, twice.blobs().size(), "the same layer twice is one blob to push, plus the config");
    }

    @Test
    void anArtifactTakesNoSecondLayerAndNoRunConfig() {
        RunConfig user = new RunConfig(null, null, List.of(), null, "1000", Map.of(), List.of());
        assertThrows(IllegalArgumentException.class, () -> Packer.pack(new Packer.Options(
                Packer.Options.everyPlatform(List.of(src, src)), true, null, List.of(AMD64), 0, RunConfig.NONE),
                tmp.resolve("o"), false));
        assertThrows(IllegalArgumentException.class, () -> Packer.pack(new Packer.Options(
                Packer.Options.everyPlatform(List.of(src)), true, null, List.of(AMD64), 0, user), tmp.resolve("o"), false));
        assertThrows(IllegalArgumentException.class, () -> Packer.pack(new Packer.Options(
                List.of(new LayerSource(src, AMD64)), true, null, List.of(AMD64), 0, RunConfig.NONE), tmp.resolve("o"), false));
    }

    @Test
    void aPlatformsLayerGoesIntoThatPlatformsImageOnlyAndTheSharedLayerIsOneBlob() throws IOException {
        Platform arm64 = Platform.parse("linux/arm64/v8");
        Path jreAmd64 = Files.createDirectories(tmp.resolve("jre-amd64"));
        Files.writeString(jreAmd64.resolve("java"), "x86-64 code");
        Path jreArm64 = Files.createDirectories(tmp.resolve("jre-arm64"));
        Files.writeString(jreArm64.resolve("java"), "aarch64 code");
        List<LayerSource> sources = List.of(new LayerSource(jreAmd64, AMD64), LayerSource.parse("linux/arm64/v8=" + jreArm64),
                LayerSource.everyPlatform(src));
        Packed p = Packer.pack(new Packer.Options(sources, false, null, List.of(AMD64, arm64), 0, RunConfig.NONE),
                tmp.resolve("o"), false);

        Index index = (Index) ManifestParser.parse(read(p, p.top().digest()), MediaTypes.OCI_INDEX, "t");
        assertEquals(List.of(AMD64, arm64), index.manifests().stream().map(d -> d.platform()).toList());
        List<Manifest> manifests = new ArrayList<>();
        for (var d : index.manifests()) {
            Manifest m = (Manifest) ManifestParser.parse(read(p, d.digest()), MediaTypes.OCI_MANIFEST, "t");
            manifests.add(m);
            ImageConfig c = ImageConfig.parse(read(p, m.config().digest()), "config");
            assertEquals(d.platform(), c.platform());
            assertEquals(2, m.layers().size(), "its own layer and the shared one: " + d.platform());
            List<Digest> uncompressed = new ArrayList<>();
            for (var layer : m.layers()) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(p.dir().file(layer.digest())))) {
                    uncompressed.add(Digest.of(in.readAllBytes()));
                }
            }
            // a runtime checks each layer against its diff_id: a count alone would pass with another platform's
            assertEquals(uncompressed, c.diffIds(), "the diff_ids of this platform's layers, in order: " + d.platform());
        }
        assertNotEquals(manifests.get(0).layers().get(0), manifests.get(1).layers().get(0), "a layer per architecture");
        assertEquals(manifests.get(0).layers().get(1), manifests.get(1).layers().get(1), "the shared layer is one blob");
        assertEquals(5, p.blobs().size(), "three layers and two configs (the manifests are pushed after them)");
        assertEquals(2, p.manifests().size());

        Packed again = Packer.pack(new Packer.Options(sources, false, null, List.of(AMD64, arm64), 0, RunConfig.NONE),
                tmp.resolve("o2"), false);
        assertEquals(p.top().digest(), again.top().digest(), "reproducible");
    }

    @Test
    void aPlatformsLayerMustNameABuiltPlatformAndEveryPlatformNeedsALayer() {
        Platform arm64 = Platform.parse("linux/arm64");
        var notBuilt = assertThrows(IllegalArgumentException.class, () -> Packer.pack(new Packer.Options(
                List.of(LayerSource.everyPlatform(src), new LayerSource(src, arm64)), false, null, List.of(AMD64), 0,
                RunConfig.NONE), tmp.resolve("o"), false));
        assertTrue(notBuilt.getMessage().contains("linux/arm64 is not among the platforms"), notBuilt.getMessage());
        var typed = assertThrows(IllegalArgumentException.class, () -> Packer.pack(new Packer.Options(
                List.of(LayerSource.everyPlatform(src), LayerSource.parse("linux/ARM64=" + src)), false, null,
                List.of(AMD64), 0, RunConfig.NONE), tmp.resolve("o"), false));
        assertEquals("--layer linux/ARM64=" + src + ": linux/arm64 is not among the platforms being built [linux/amd64]"
                + " (add --platform linux/arm64, or write ./linux/ARM64=" + src + " for a directory whose name contains"
                + " '=')", typed.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> Packer.pack(new Packer.Options(
                List.of(new LayerSource(src, AMD64)), false, null, List.of(AMD64, arm64), 0, RunConfig.NONE),
                tmp.resolve("o"), false));
        assertTrue(empty.getMessage().contains("linux/arm64 has no layer"), empty.getMessage());
        assertEquals(Path.of("./linux/amd64=x"), LayerSource.parse("./linux/amd64=x").dir(), "a path can be given as ./");
    }

    private Packed layers(Path out, RunConfig run, Path... dirs) throws IOException {
        return Packer.pack(new Packer.Options(Packer.Options.everyPlatform(List.of(dirs)), false, null, List.of(AMD64), 0,
                run), out, false);
    }

    private static byte[] read(Packed p, Digest d) throws IOException {
        return Files.readAllBytes(p.dir().file(d));
    }
}
