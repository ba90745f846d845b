package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.RuntimeServiceGrpc;
import runtime.v1.VersionRequest;

/** One daemon per root and per state directory: a second one is refused at start and disturbs nothing. */
@Tag("native")
class SecondDaemonTest {
    @TempDir
    Path tmp;

    /** Runs a daemon that is expected to refuse to start; returns its exit status and output. */
    private Commands.Result secondDaemon(Path root, Path stateDir) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.ocimount.Main", "daemon",
                "--root", root.toString(), "--state-dir", stateDir.toString(),
                "--config", tmp.resolve("absent.toml").toString()).redirectErrorStream(true).start();
        boolean ended = p.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, "the second daemon ended instead of serving");
        return new Commands.Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8), "");
    }

    @Test
    void aSecondDaemonOnTheSameRootOrStateDirectoryIsRefusedAndTheFirstGoesOn() throws Exception {
        try (DaemonProcess first = DaemonProcess.start(tmp)) {
            // work in progress of the first daemon, which a second one's start-up cleaning would delete
            Path unpacking = Files.createDirectories(tmp.resolve("root/snapshots/tmp-in-progress/fs"));
            Path partial = Files.writeString(tmp.resolve("root/content/ingest/" + "ab".repeat(32)), "partial");

            Commands.Result sameRoot = secondDaemon(tmp.resolve("root"), tmp.resolve("run2"));
            assertNotEquals(0, sameRoot.rc(), sameRoot.out());
            assertTrue(sameRoot.out().contains("another ocimount daemon (pid " + first.pid() + ") is using the root "
                    + tmp.resolve("root")), sameRoot.out());
            assertFalse(Files.exists(tmp.resolve("run2/ocimount.sock")), "the refused daemon never served");

            Commands.Result sameState = secondDaemon(tmp.resolve("root2"), tmp.resolve("run"));
            assertNotEquals(0, sameState.rc(), sameState.out());
            assertTrue(sameState.out().contains("is using the state directory " + tmp.resolve("run")), sameState.out());

            assertTrue(Files.isDirectory(unpacking), "the first daemon's temporary snapshot is untouched");
            assertEquals("partial", Files.readString(partial), "the first daemon's partial download is untouched");
            assertTrue(first.isAlive());
            var v = RuntimeServiceGrpc.newBlockingStub(first.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .version(VersionRequest.getDefaultInstance());
            assertEquals("ocimount", v.getRuntimeName(), "the first daemon still serves");
            assertTrue(Files.exists(DaemonProcess.socket(tmp)), "its socket is still there");
        }
        // the lock dies with its holder: a daemon starts on the same root afterwards, kill -9 or not
        try (DaemonProcess again = DaemonProcess.start(tmp)) {
            again.kill();
        }
        try (DaemonProcess afterKill = DaemonProcess.start(tmp)) {
            assertTrue(afterKill.isAlive());
        }
    }
}
