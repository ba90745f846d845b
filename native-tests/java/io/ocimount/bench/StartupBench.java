package io.ocimount.bench;

import io.grpc.ManagedChannel;
import io.ocimount.api.v1.InfoGrpc;
import io.ocimount.api.v1.VersionRequest;
import io.ocimount.cli.DaemonChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test): time from launching the daemon's JVM to its first answered RPC, with and without an
 * AppCDS archive, alternating. The client here is already warm, so only the daemon's start is measured.
 * Usage: StartupBench JAR ARCHIVE [runs]; scripts/bench-startup.sh makes the archive and runs this.
 */
public final class StartupBench {
    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap").setLevel(java.util.logging.Level.SEVERE);
        String jar = args[0];
        String archive = args[1];
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        once(jar, null); // warm this client's own gRPC path
        long[] with = new long[runs];
        long[] without = new long[runs];
        for (int i = 0; i < runs; i++) {
            without[i] = once(jar, null);
            with[i] = once(jar, archive);
            System.out.printf("run %d: without archive %d ms, with archive %d ms%n", i + 1, without[i], with[i]);
        }
        Arrays.sort(with);
        Arrays.sort(without);
        System.out.printf("time to first RPC, median of %d: without AppCDS %d ms, with AppCDS %d ms%n", runs,
                without[runs / 2], with[runs / 2]);
    }

    private static long once(String jar, String archive) throws Exception {
        Path dir = Files.createTempDirectory("ocimount-startup");
        Path sock = dir.resolve("run/ocimount.sock");
        List<String> cmd = new ArrayList<>(List.of("java", "-XX:+UseSerialGC", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        if (archive != null) {
            cmd.add("-XX:SharedArchiveFile=" + archive);
        }
        cmd.addAll(List.of("-jar", jar, "daemon", "--root", dir.resolve("root").toString(), "--state-dir",
                dir.resolve("run").toString(), "--config", dir.resolve("none.toml").toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        try {
            while (true) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("daemon exited: " + Files.readString(dir.resolve("log")));
                }
                if (Files.exists(sock)) {
                    ManagedChannel ch = DaemonChannel.open(sock);
                    try {
                        InfoGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS).version(VersionRequest.getDefaultInstance());
                        return (System.nanoTime() - t0) / 1_000_000;
                    } catch (RuntimeException notYet) {
                        Thread.sleep(5);
                    } finally {
                        ch.shutdownNow();
                    }
                } else {
                    Thread.sleep(5);
                }
            }
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
        }
    }
}
