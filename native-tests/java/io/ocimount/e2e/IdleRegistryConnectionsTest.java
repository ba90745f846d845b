package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.testkit.ImageBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.PullImageRequest;

/**
 * The daemon closes registry connections left idle after a pull once registry.idle_connection_timeout_seconds
 * passes (issue #11: with the JDK's 1200 s default, 44 stayed open after a load run), over plain HTTP and over
 * https, where the JDK would otherwise speak HTTP/2 and never close an idle connection.
 */
@Tag("native")
class IdleRegistryConnectionsTest {
    private static final int IDLE_SECONDS = 2;
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void connectionsLeftIdleAfterAPullAreClosedAfterTheTimeout(boolean tls) throws Exception {
        Files.createDirectories(tmp.resolve("registry"));
        ImageBuilder.Image img = new ImageBuilder().layer(Map.of("a.txt", "a".repeat(100_000)))
                .layer(Map.of("b.txt", "b".repeat(100_000))).build();
        try (RealRegistry registry = new RealRegistry(tmp.resolve("registry"), null, null, tls)) {
            registry.push("test/idle", "v1", img);
            String config = "[registry]\nidle_connection_timeout_seconds = " + IDLE_SECONDS + "\n";
            if (tls) {
                Path hosts = Files.createDirectories(tmp.resolve("certs.d").resolve(registry.host())).resolve("hosts.toml");
                Files.writeString(hosts, "server = \"https://" + registry.host() + "\"\n[host.\"https://" + registry.host()
                        + "\"]\n  capabilities = [\"pull\", \"resolve\"]\n  ca = \"" + registry.certificate() + "\"\n");
                config += "config_path = \"" + tmp.resolve("certs.d") + "\"\n";
            }
            Files.writeString(tmp.resolve("config.toml"), config);
            try (DaemonProcess daemon = DaemonProcess.start(tmp)) {
                assertClosedWhenIdle(daemon, registry);
            }
        }
    }

    /** Pulls, watching the daemon's connections to the registry, and expects none left soon after the idle timeout. */
    private static void assertClosedWhenIdle(DaemonProcess daemon, RealRegistry registry) throws Exception {
        AtomicInteger most = new AtomicInteger();
        CompletableFuture<Void> pull = CompletableFuture.runAsync(() -> ImageServiceGrpc.newBlockingStub(daemon.channel())
                .withDeadlineAfter(60, TimeUnit.SECONDS).pullImage(PullImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(registry.host() + "/test/idle:v1")).build()));
        while (!pull.isDone()) { // watched during the pull: on a busy machine it may outlast the idle timeout
            most.accumulateAndGet(established(daemon.pid(), registry.port), Math::max);
            Thread.sleep(20);
        }
        pull.get();
        long pulled = System.nanoTime();
        int open = established(daemon.pid(), registry.port);
        most.accumulateAndGet(open, Math::max);
        assertTrue(most.get() > 0, "the pull was seen holding connections to the registry");

        long deadline = pulled + TimeUnit.SECONDS.toNanos(IDLE_SECONDS + 8);
        while (open > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            open = established(daemon.pid(), registry.port);
        }
        assertEquals(0, open, "up to " + most + " connections during the pull, still " + open + " "
                + (System.nanoTime() - pulled) / 1_000_000 + " ms after it (idle timeout " + IDLE_SECONDS + " s)");
    }

    /** ESTABLISHED TCP connections of process {@code pid} to {@code port}: its socket fds matched in /proc/net/tcp{,6}. */
    private static int established(long pid, int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the fd went away while listing: not a connection any more
                }
            }
        }
        int count = 0;
        for (String table : List.of("tcp", "tcp6")) {
            List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/net/" + table));
            for (String line : lines.subList(1, lines.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                String[] f = line.trim().split("\\s+");
                String remote = f[2];
                boolean toPort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16) == port;
                if (toPort && f[3].equals("01") && inodes.contains(f[9])) {
                    count++;
                }
            }
        }
        return count;
    }
}
