package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.testkit.NotifyListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What systemd sees of the daemon: sd_notify messages, journald priorities, and a unit that verifies. */
@Tag("native")
class SystemdTest {
    @TempDir
    Path tmp;

    private static void waitFor(java.util.function.BooleanSupplier ok, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!ok.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    private static long count(Path file, Predicate<String> line) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(line).count() : 0;
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void readyWatchdogAndStoppingReachTheNotifySocket() throws Exception {
        Path sock = tmp.resolve("notify.sock");
        Path got = tmp.resolve("notify.log");
        try (NotifyListener listener = NotifyListener.start(sock.toString(), got)) {
            DaemonProcess d = DaemonProcess.start(Files.createDirectories(tmp.resolve("d")),
                    Map.of("NOTIFY_SOCKET", sock.toString(), "WATCHDOG_USEC", "200000"));
            waitFor(() -> count(got, l -> l.startsWith("READY=1")) == 1, "READY=1");
            assertTrue(Files.readString(got).contains("MAINPID="), Files.readString(got));
            waitFor(() -> count(got, l -> l.equals("WATCHDOG=1")) >= 3, "watchdog pings every WATCHDOG_USEC/2");
            assertEquals(143, d.terminate());
            waitFor(() -> count(got, l -> l.equals("STOPPING=1")) == 1, "STOPPING=1");
        }
    }

    @Test
    void underJournaldEveryLineCarriesItsSyslogPriority() throws Exception {
        DaemonProcess d = DaemonProcess.start(Files.createDirectories(tmp.resolve("j")), Map.of("JOURNAL_STREAM", "8:1234"));
        d.terminate();
        String log = d.log();
        assertTrue(log.lines().anyMatch(l -> l.startsWith("<6>Daemon: serving on")), log);
        assertTrue(log.lines().anyMatch(l -> l.startsWith("<6>Daemon: stopped")), "the last line is not lost at SIGTERM: " + log);
    }

    /**
     * systemd may stop the service the moment it said READY: a SIGTERM right after "serving on" must still close the
     * daemon (its shutdown hook used to be registered a little later, and addShutdownHook then threw "Shutdown in
     * progress"). Five daemons, each sent SIGTERM as soon as the line is in its log.
     */
    @Test
    void aSigtermRightAfterServingStillStopsTheDaemonCleanly() throws Exception {
        for (int i = 0; i < 5; i++) {
            Path dir = Files.createDirectories(tmp.resolve("early" + i));
            Path log = dir.resolve("daemon.log");
            DaemonProcess.auditBeside(dir);
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "io.ocimount.Main", "daemon", "--root",
                    dir.resolve("root").toString(), "--state-dir", dir.resolve("run").toString(), "--config",
                    dir.resolve("config.toml").toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (count(log, l -> l.contains("serving on")) == 0 && p.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait();
            }
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "exits");
            String text = Files.readString(log);
            assertTrue(text.contains("serving on") && text.contains("stopped") && !text.contains("Shutdown in progress"),
                    "run " + i + ": " + text);
        }
    }

    @Test
    void theUnitVerifiesAndGivesTheServiceNoMountNamespace() throws Exception {
        Path unit = Path.of("systemd/ocimount.service");
        String text = Files.readString(unit);
        for (String forbidden : new String[] {"PrivateMounts", "PrivateTmp", "ProtectSystem", "ProtectHome", "ReadOnlyPaths",
                "InaccessiblePaths", "TemporaryFileSystem", "MountFlags"}) {
            assertTrue(text.lines().noneMatch(l -> l.trim().startsWith(forbidden + "=")), forbidden + " would hide the volumes from kubelet");
        }
        assertTrue(text.contains("Type=notify") && text.contains("Restart=always"), text);
        Process p = new ProcessBuilder("systemd-analyze", "verify", unit.toAbsolutePath().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.lines().noneMatch(l -> l.contains("ocimount.service")), "no complaint about the unit: " + out);
    }
}
