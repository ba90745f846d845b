package io.ocimount.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ocimount.oci.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --layer [OS/ARCH[/VARIANT]=]DIR: a platform before the '=' only when it names a known OS, else a path. */
class LayerSourceTest {
    @TempDir
    Path cwd;

    private LayerSource parse(String text) {
        return LayerSource.parse(text, cwd);
    }

    private static void assertLayer(Platform platform, Path dir, LayerSource s) {
        assertEquals(platform, s.platform(), s.text());
        assertEquals(dir, s.dir(), s.text());
    }

    @Test
    void aPlatformIsReadInTheSpellingsPlatformParseAccepts() {
        assertLayer(Platform.parse("linux/amd64"), Path.of("a"), parse("linux/AMD64=a"));
        assertLayer(Platform.parse("linux/amd64"), Path.of("a"), parse("linux/x86-64=a"));
        assertLayer(Platform.parse("linux/amd64"), Path.of("a"), parse("linux/x86_64=a"));
        assertLayer(Platform.parse("linux/arm64"), Path.of("jre"), parse("Linux/aarch64/v8=jre"));
        assertLayer(Platform.parse("linux/arm/v7"), Path.of("/abs/jre"), parse("linux/arm/v7=/abs/jre"));
        assertLayer(Platform.parse("windows/amd64"), Path.of("w"), parse("windows/amd64=w"));
        assertEquals(Platform.parse("linux/amd64"), parse("linux/amd64=a=b").platform());
        assertEquals(Path.of("a=b"), parse("linux/amd64=a=b").dir());
    }

    @Test
    void aPrefixWhoseOsIsNotKnownIsPartOfThePath() {
        LayerSource s = parse("build/out=x");
        assertNull(s.platform());
        assertEquals(Path.of("build/out=x"), s.dir());
        assertEquals(Path.of("dist/linux/amd64=x"), parse("dist/linux/amd64=x").dir(), "four parts: not a platform");
        assertEquals(Path.of("./linux/amd64=x"), parse("./linux/amd64=x").dir(), "a path can be given as ./");
        assertNull(parse("linux/amd64").platform(), "no '='");
    }

    @Test
    void anExistingDirectoryIsAPathEvenWhenItLooksLikeAPlatform() throws IOException {
        Files.createDirectories(cwd.resolve("linux/amd64=x"));
        LayerSource s = parse("linux/amd64=x");
        assertNull(s.platform());
        assertEquals(Path.of("linux/amd64=x"), s.dir());
        assertEquals(Platform.parse("linux/amd64"), parse("linux/amd64=y").platform());
    }
}
