package io.ocimount.unpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.oci.Digest;
import io.ocimount.sys.Syscalls;
import io.ocimount.testkit.SilentStream;
import io.ocimount.testkit.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the extractor asks of the file system for the entries only root can make (owners, device nodes, overlay's
 * whiteouts and opaque markers), recorded by {@link RecordingLayerFs} so a user can check it; the unprivileged
 * rest (files, modes, links, times, user xattrs) is real. {@code UnpackTest} checks the same kinds as root on real
 * nodes and owners.
 */
class LayerApplierTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    @TempDir
    Path tmp;
    final RecordingLayerFs fs = new RecordingLayerFs();

    private LayerApplier.Applied apply(TarBuilder tar, Path dir) throws Exception {
        Files.createDirectories(dir);
        return new LayerApplier(LayerLimits.defaults(), fs).apply(new ByteArrayInputStream(tar.build()), dir);
    }

    private static int mode(Path p) throws Exception {
        return (Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW) & 07777;
    }

    @Test
    void devicesAndOwnersAreAskedForAsTheLayerSaysAndRootsOwnAreLeftAlone() throws Exception {
        Path l = tmp.resolve("l1/fs");
        apply(new TarBuilder().dir("dev", 0755).charDevice("dev/null", 1, 3).fifo("dev/fifo")
                .owner(1000, 1001).dir("home", 0755).file("home/f", "mine").symlink("home/ln", "f").owner(0, 0)
                .file("etc-file", "root's"), l);
        assertEquals("c 1:3", fs.node(l.resolve("dev/null")));
        assertEquals(0600, mode(l.resolve("dev/null")), "the node's mode");
        assertEquals(Syscalls.S_IFIFO, (Integer) Files.getAttribute(l.resolve("dev/fifo"), "unix:mode", NOFOLLOW) & 0170000,
                "a fifo is made for real");
        assertEquals("1000:1001", fs.owner(l.resolve("home/f")));
        assertEquals("1000:1001", fs.owner(l.resolve("home/ln")), "a link's own owner (lchown)");
        assertNull(fs.owner(l.resolve("etc-file")), "new files are root's already: no chown");
        assertNull(fs.owner(l.resolve("dev")));
    }

    @Test
    void aSetgidParentMakesEvenRootsFilesBeChownedAndAnExistingDirectoryIsReowned() throws Exception {
        Path l = tmp.resolve("l1/fs");
        apply(new TarBuilder().dir("shared", 02775).file("shared/f", "x").dir("d", 0755).owner(7, 7).dir("d", 0700), l);
        assertEquals("0:0", fs.owner(l.resolve("shared/f")), "the group a setgid directory would hand down is undone");
        assertEquals("7:7", fs.owner(l.resolve("d")));
        assertEquals(0700, mode(l.resolve("d")), "directory onto directory takes the later entry's mode");
    }

    @Test
    void whiteoutsBecomeNodesZeroZeroAndOpaqueDirectoriesAreMarkedWithoutWritingTheMarkers() throws Exception {
        Path l = tmp.resolve("l2/fs");
        LayerApplier.Applied a = apply(new TarBuilder().whiteout("etc/old").opaque("opt/app").file("opt/app/c", "c")
                .whiteout("bin").dir("bin", 0711), l);
        assertEquals("c 0:0", fs.node(l.resolve("etc/old")));
        assertFalse(Files.exists(l.resolve("etc/.wh.old"), NOFOLLOW), "the marker itself is not written");
        assertArrayEquals(new byte[] {'y'}, fs.trustedXattr(l.resolve("opt/app"), "trusted.overlay.opaque"));
        assertFalse(Files.exists(l.resolve("opt/app/.wh..wh..opq"), NOFOLLOW));
        assertEquals("c", Files.readString(l.resolve("opt/app/c")), "same-layer children of an opaque directory stay");
        assertArrayEquals(new byte[] {'y'}, fs.trustedXattr(l.resolve("bin"), "trusted.overlay.opaque"),
                "a directory made where the same layer whited out one is opaque");
        assertEquals(List.of("etc", "opt", "opt/app"), a.implicitDirs(), "parents the layer did not describe");
    }

    @Test
    void overlayMetadataNeverComesFromTheImageWhileUserXattrsModesLinksAndTimesDo() throws Exception {
        Path l = tmp.resolve("l1/fs");
        byte[] tar = new TarBuilder().dir("bin", 0755).file("bin/tool", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), 04755)
                .dir("tmp", 01777).fileWithXattrs("tagged", "x", Map.of("user.note", "hello", "trusted.overlay.redirect", "/etc"))
                .file("lib.so", "ELF").hardlink("lib.so.6", "lib.so").symlink("dangling", "/no/such//target/").build();
        LayerApplier.Applied a = new LayerApplier(LayerLimits.defaults(), fs).apply(new ByteArrayInputStream(tar),
                Files.createDirectories(l));
        assertNull(fs.trustedXattr(l.resolve("tagged"), "trusted.overlay.redirect"), "an image must not steer overlayfs");
        assertEquals(1, a.skippedXattrs());
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), Syscalls.lgetxattr(l.resolve("tagged"), "user.note"));
        assertEquals(04755, mode(l.resolve("bin/tool")), "setuid kept");
        assertEquals(01777, mode(l.resolve("tmp")), "sticky kept");
        assertEquals(Files.getAttribute(l.resolve("lib.so"), "unix:ino"), Files.getAttribute(l.resolve("lib.so.6"), "unix:ino"));
        assertTrue(Files.isSymbolicLink(l.resolve("dangling")), "a link to nothing is made as it is");
        assertEquals(TarBuilder.MTIME, Files.getLastModifiedTime(l.resolve("bin"), NOFOLLOW).toInstant(),
                "a directory's time is set after its children");
        assertEquals(Digest.of(tar), a.diffId());
    }

    @Test
    void aWriteThatFailsWhileTheInputIsSilentEndsTheApplyWithThatFailure() throws Exception {
        // the first entry cannot be created (a name over NAME_MAX); the second is only half there, then silence
        byte[] tar = new TarBuilder().file("n".repeat(300), "x").file("rest.bin", new byte[1 << 20], 0644).build();
        Files.createDirectories(tmp.resolve("fs"));
        InputStream blob = new SequenceInputStream(new ByteArrayInputStream(tar, 0, tar.length / 2), new SilentStream());
        LocalWriteException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                LocalWriteException.class, () -> new LayerApplier(LayerLimits.defaults()).apply(blob, tmp.resolve("fs"))));
        assertTrue(e.getMessage().contains("File name too long"), e::getMessage);
        assertTrue(!Thread.currentThread().isInterrupted(), "the wake-up does not leak to the caller");
    }
}
