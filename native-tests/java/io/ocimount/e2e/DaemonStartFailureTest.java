package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.config.DaemonConfig;
import io.ocimount.daemon.Daemon;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start that fails late (the CSI socket, after metrics and the CRI socket are up) leaves nothing open behind it. */
@Tag("native")
class DaemonStartFailureTest {
    @TempDir
    Path tmp;

    private DaemonConfig config(String toml) throws IOException {
        Path file = tmp.resolve("config.toml");
        Files.writeString(file, toml);
        return DaemonConfig.load(file).withPaths(tmp.resolve("root"), tmp.resolve("run"), tmp.resolve("run/ocimount.sock"));
    }

    @Test
    void aCsiSocketThatCannotBeServedStopsTheStartWithMetricsSocketAndLocksReleased() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path notASocket = Files.writeString(tmp.resolve("csi.sock"), "a file where the CSI socket should go");
        DaemonConfig failing = config("metrics_address = \"127.0.0.1:" + port + "\"\n[csi]\nsocket = \"" + notASocket
                + "\"\nregistration_dir = \"" + tmp.resolve("registry") + "\"\n");
        IOException e = assertThrows(IOException.class, () -> new Daemon(failing));
        assertTrue(e.getMessage().contains("is not a socket"), e.getMessage());

        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertTrue(again.isBound(), "the metrics port was given back");
        }
        assertFalse(Files.exists(tmp.resolve("run/ocimount.sock")), "the CRI socket was taken down");
        new Daemon(config("")).close(); // the root and state directory locks were released
    }
}
