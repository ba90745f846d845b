package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ocimount.config.DaemonConfig;
import io.ocimount.daemon.Daemon;
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
 * DirectoryOrCreate host paths 0755, and the state directory holds the sockets, views and volume records.
 */
@Tag("native")
class DaemonDirectoriesTest {
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
                        lines.add(m);
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
    void openDirectoriesAreTightenedTo0700WithOneLineEach() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Path run = Files.createDirectory(tmp.resolve("run"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x")); // as kubelet makes them
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxrwxrwx"));

        List<String> lines = startAndStop(root, run);
        assertEquals("rwx------", mode(root));
        assertEquals("rwx------", mode(run));
        assertEquals(List.of("root " + root + " was 0755, now 0700: group and others had access",
                "state directory " + run + " was 0777, now 0700: group and others had access"), lines);

        assertEquals(List.of(), startAndStop(root, run), "nothing to say the second time");
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
