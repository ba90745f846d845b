package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.config.DaemonConfig;
import io.ocimount.daemon.Daemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root and the state directory are root's alone after a start, as the unit's StateDirectoryMode and
 * RuntimeDirectoryMode=0700 make them, also when they already existed open: kubelet creates a DaemonSet's
 * DirectoryOrCreate host paths 0755, and the state directory holds the sockets, views and volume records. One that
 * chmod cannot make the daemon's own (another owner, sticky, writable by everyone) stops the start instead.
 */
@Tag("native")
class DaemonDirectoriesTest {
    private static final int NOBODY = 65534;
    @TempDir
    Path tmp;

    private static String mode(Path dir) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
    }

    /** Starts and stops a daemon on {@code root} and {@code run}; returns what it logged besides its start and stop. */
    private static List<String> startAndStop(Path root, Path run) throws Exception {
        Logger log = Logger.getLogger(Daemon.class.getName());
        List<String> lines = new ArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String m = r.getMessage();
                if (r.getLevel().intValue() >= Level.INFO.intValue() && !m.startsWith("serving on ") && !m.equals("stopped")) {
                    synchronized (lines) {
                        lines.add((r.getLevel() == Level.INFO ? "" : r.getLevel() + " ") + m);
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(h);
        try {
            new Daemon(DaemonConfig.defaults().withPaths(root, run, run.resolve("ocimount.sock"))
                    .withAuditFile(run.resolve("audit.jsonl"))).close();
        } finally {
            log.removeHandler(h);
        }
        return lines;
    }

    @Test
    void groupAndOtherBitsAreTakenAwayWithOneWarningEach() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path run = Files.createDirectory(tmp.resolve("run"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x")); // as kubelet makes them
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwx---"));

        List<String> lines = startAndStop(root, run);
        assertEquals("rwx------", mode(root));
        assertEquals("rwx------", mode(run));
        assertEquals(List.of("WARNING root " + root + " was 0755, now 0700: group and others had access",
                "WARNING state directory " + run + " was 0770, now 0700: group and others had access"), lines);

        assertEquals(List.of(), startAndStop(root, run), "nothing to say the second time");
    }

    /** Taking the bits away would leave the directory to its owner: still not the daemon's own. */
    @Test
    void aDirectoryOwnedByAnotherUidIsRefusedAndLeftAsItWas() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path run = Files.createDirectory(tmp.resolve("run"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setAttribute(root, "unix:uid", NOBODY);

        IOException e = assertThrows(IOException.class, () -> startAndStop(root, run));
        assertEquals("root " + root + " has owner uid 65534 and mode 0777, not the daemon's uid 0;"
                + " refusing to start", e.getMessage());
        assertEquals("rwxrwxrwx", mode(root));
        assertEquals(NOBODY, Files.getAttribute(root, "unix:uid"));
        assertFalse(Files.exists(root.resolve("ocimount.lock")), "refused before anything was written");
    }

    /** Such as /tmp given as --state-dir by mistake: chmod 0700 would break the host, and others own files there. */
    @Test
    void aStickyDirectoryIsRefusedAndKeepsItsStickyBit() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path run = Files.createDirectory(tmp.resolve("run"));
        Files.setAttribute(run, "unix:mode", 01777);

        IOException e = assertThrows(IOException.class, () -> startAndStop(root, run));
        assertEquals("state directory " + run + " has owner uid 0 and mode 1777: sticky, a directory shared by"
                + " all users such as /tmp; refusing to start", e.getMessage());
        assertEquals(01777, (Integer) Files.getAttribute(run, "unix:mode") & 07777);
    }

    /** Anyone may have put files or links there before the start: tightening it now would not make them ours. */
    @Test
    void aWorldWritableDirectoryIsRefused() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path run = Files.createDirectory(tmp.resolve("run"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));

        IOException e = assertThrows(IOException.class, () -> startAndStop(root, run));
        assertEquals("root " + root + " has owner uid 0 and mode 0777: writable by everyone, so others may"
                + " have put files in it; refusing to start", e.getMessage());
        assertEquals("rwxrwxrwx", mode(root));
    }

    /** A symlinked root (a store moved to a bigger disk) is accepted: the directory it leads to is checked and tightened. */
    @Test
    void aSymlinkedRootTightensTheRealDirectoryAndTheWarningNamesIt() throws Exception {
        Path real = Files.createDirectory(tmp.resolve("disk"));
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = Files.createSymbolicLink(tmp.resolve("root"), real);
        Path run = Files.createDirectory(tmp.resolve("run"));
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwx------"));

        assertEquals(List.of("WARNING root " + real + " (the symlink " + root + " leads there) was 0755, now 0700:"
                + " group and others had access"), startAndStop(root, run));
        assertEquals("rwx------", mode(real));
        assertTrue(Files.isSymbolicLink(root), "the link itself is left alone");

        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> startAndStop(root, run));
        assertTrue(e.getMessage().startsWith("root " + real + " (the symlink " + root + " leads there) has owner uid 0 and"
                + " mode 0777: writable by everyone"), e.getMessage());
    }

    @Test
    void privateDirectoriesKeepTheirModeAndMissingOnesAreCreated0700() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        Path run = tmp.resolve("missing/run");

        assertEquals(List.of(), startAndStop(root, run));
        assertEquals("rwx------", mode(root));
        assertEquals("rwx------", mode(run));
    }
}
