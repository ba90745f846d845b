package io.ocimount.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.sys.Fds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Sub paths resolve inside their root or not at all, with openat2 and with the fallback walk. */
class SubPathResolverTest {
    @TempDir
    Path tmp;
    Path root;

    @BeforeEach
    void tree() throws Exception {
        root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("data/nested"));
        Files.writeString(root.resolve("data/nested/file.txt"), "deep");
        Files.createSymbolicLink(root.resolve("etc-link"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("../../../../../../.."));
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("inside"), Path.of("data/nested"));
    }

    @AfterEach
    void back() {
        SubPathResolver.forceWalk = false;
    }

    private static String where(SubPathResolver.Opened o) throws Exception {
        return Fds.pathOf(o.fd());
    }

    @ParameterizedTest(name = "fallback walk: {0}")
    @ValueSource(booleans = {false, true})
    void directoriesAndFilesResolveInsideTheRoot(boolean walk) throws Exception {
        SubPathResolver.forceWalk = walk;
        try (SubPathResolver.Opened d = SubPathResolver.open(root, "data/nested")) {
            assertTrue(d.directory());
            assertEquals(root.resolve("data/nested").toString(), where(d));
        }
        try (SubPathResolver.Opened f = SubPathResolver.open(root, "./data//nested/file.txt")) {
            assertFalse(f.directory());
            assertEquals("deep", Files.readString(f.procPath()));
        }
    }

    @ParameterizedTest(name = "fallback walk: {0}")
    @ValueSource(booleans = {false, true})
    void everyWayOutIsRefused(boolean walk) {
        SubPathResolver.forceWalk = walk;
        for (String escape : new String[] {"../..", "data/../../x", "/etc", "etc-link", "etc-link/passwd", "a", "a/etc/passwd"}) {
            OciMountException e = assertThrows(OciMountException.class, () -> SubPathResolver.open(root, escape).close(), escape);
            assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), escape + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(escape), e.getMessage());
        }
    }

    @org.junit.jupiter.api.Test
    void aRelativeSymlinkThatStaysInsideResolvesWithOpenat2() throws Exception {
        try (SubPathResolver.Opened o = SubPathResolver.open(root, "inside/file.txt")) {
            assertEquals("deep", Files.readString(o.procPath()));
        }
    }

    @org.junit.jupiter.api.Test
    void missingIsNotFound() {
        OciMountException e = assertThrows(OciMountException.class, () -> SubPathResolver.open(root, "data/nope"));
        assertEquals(ErrorKind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("sub path \"data/nope\" does not exist"), e.getMessage());
    }

    /**
     * A directory on the path is swapped with a symlink to /etc, over and over, while the sub path is resolved:
     * every answer is either inside the root or a refusal, never /etc.
     */
    @ParameterizedTest(name = "fallback walk: {0}")
    @ValueSource(booleans = {false, true})
    void aSymlinkSwappedInDuringResolutionNeverLeadsOut(boolean walk) throws Exception {
        SubPathResolver.forceWalk = walk;
        Path d = root.resolve("d");
        Files.createDirectories(d);
        Files.writeString(d.resolve("passwd"), "the image's own");
        Files.createSymbolicLink(root.resolve("d-link"), Path.of("/etc"));
        AtomicBoolean stop = new AtomicBoolean();
        Thread swapper = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Files.move(d, root.resolve("d-dir"));
                    Files.move(root.resolve("d-link"), d);
                    Files.move(d, root.resolve("d-link"));
                    Files.move(root.resolve("d-dir"), d);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        swapper.start();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try {
            for (int i = 0; i < 3000; i++) {
                try (SubPathResolver.Opened o = SubPathResolver.open(root, "d/passwd")) {
                    String w = where(o);
                    assertTrue(w.startsWith(root + "/"), "resolved outside the root: " + w);
                    assertEquals("the image's own", Files.readString(o.procPath()));
                    inside.incrementAndGet();
                } catch (OciMountException e) {
                    refused.incrementAndGet();
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        assertTrue(inside.get() > 0 && refused.get() > 0, "the race really happened: " + inside + " inside, " + refused + " refused");
    }
}
