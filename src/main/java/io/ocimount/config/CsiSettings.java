package io.ocimount.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The CSI node plugin: off unless {@code socket} is set (config {@code csi.socket} or {@code --csi-socket}).
 *
 * @param socket          where the CSI Identity and Node services are served, or null when CSI is off
 * @param driverName      the driver name pods write in their {@code csi:} volume, and the CSIDriver object's name
 * @param nodeId          NodeGetInfo's node id (kubelet matches it with the Node object's name)
 * @param registrationDir kubelet's plugin watcher directory, where the registration socket is served
 */
public record CsiSettings(Path socket, String driverName, String nodeId, Path registrationDir) {
    public static final String DEFAULT_DRIVER_NAME = "image.ocimount.io";
    public static final Path DEFAULT_REGISTRATION_DIR = Path.of("/var/lib/kubelet/plugins_registry");

    public static CsiSettings defaults() {
        return new CsiSettings(null, DEFAULT_DRIVER_NAME, hostName(), DEFAULT_REGISTRATION_DIR);
    }

    public boolean enabled() {
        return socket != null;
    }

    /** kubelet's registration socket for this driver, {@code <registration_dir>/<driver>-reg.sock}. */
    public Path registrationSocket() {
        return registrationDir.resolve(driverName + "-reg.sock");
    }

    public CsiSettings withSocket(Path newSocket) {
        // kubelet dials the endpoint registration gives it from its own working directory: make it absolute
        return newSocket == null ? this : new CsiSettings(newSocket.toAbsolutePath(), driverName, nodeId, registrationDir);
    }

    /** The node's name as kubelet defaults it: the kernel's host name, lower-cased. */
    static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name.toLowerCase(Locale.ROOT);
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the JDK's view
        }
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return "localhost";
        }
    }
}
