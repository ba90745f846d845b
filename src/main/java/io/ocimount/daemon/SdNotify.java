package io.ocimount.daemon;

import io.ocimount.sys.SysException;
import io.ocimount.sys.UnixDatagram;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The systemd notification protocol (sd_notify(3)) for {@code Type=notify}: READY=1 once the socket serves,
 * STOPPING=1 on shutdown, and WATCHDOG=1 every half {@code WATCHDOG_USEC} when the unit sets {@code WatchdogSec}.
 * NOTIFY_SOCKET is a datagram unix socket (a path, or "@name" in the abstract namespace), which the JDK cannot
 * open, so {@link UnixDatagram} sends through libc. Without NOTIFY_SOCKET (not under systemd) every call does nothing.
 */
final class SdNotify implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SdNotify.class.getName());
    private final String socket;
    private ScheduledExecutorService watchdog;

    SdNotify(String notifySocket) {
        this.socket = notifySocket == null || notifySocket.isEmpty() ? null : notifySocket;
    }

    static SdNotify fromEnvironment() {
        return new SdNotify(System.getenv("NOTIFY_SOCKET"));
    }

    /** READY=1, then starts the watchdog pings when systemd asked for them. */
    void ready(String status) {
        send("READY=1\nSTATUS=" + status + "\nMAINPID=" + ProcessHandle.current().pid());
        String usec = System.getenv("WATCHDOG_USEC");
        String pid = System.getenv("WATCHDOG_PID");
        if (socket != null && usec != null && (pid == null || pid.equals(String.valueOf(ProcessHandle.current().pid())))) {
            long periodMicros = Math.max(1, Long.parseLong(usec) / 2);
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ocimount-sd-watchdog");
                t.setDaemon(true);
                return t;
            });
            watchdog.scheduleAtFixedRate(() -> send("WATCHDOG=1"), periodMicros, periodMicros, TimeUnit.MICROSECONDS);
        }
    }

    void stopping() {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        send("STOPPING=1");
    }

    private void send(String message) {
        if (socket == null) {
            return;
        }
        try {
            UnixDatagram.send(socket, message.getBytes(StandardCharsets.UTF_8));
        } catch (SysException e) {
            LOG.warning("sd_notify " + message.lines().findFirst().orElse("") + " to " + socket + " failed: " + e.getMessage());
        }
    }

    /** Stops the watchdog pings; each message had its own socket, so nothing else is open. */
    @Override
    public void close() {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
    }
}
