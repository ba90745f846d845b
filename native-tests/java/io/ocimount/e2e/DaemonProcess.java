package io.ocimount.e2e;

import io.grpc.ManagedChannel;
import io.ocimount.cli.DaemonChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The daemon as a separate process (same classpath), for tests that kill or restart it. */
final class DaemonProcess implements AutoCloseable {
    private final Path dir;
    private final Process process;
    private final ManagedChannel channel;

    private DaemonProcess(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
        this.channel = DaemonChannel.open(socket(dir));
    }

    static Path socket(Path dir) {
        return dir.resolve("run/ocimount.sock");
    }

    /** Starts a daemon with root {@code dir/root} and state {@code dir/run}, and waits until it serves. */
    static DaemonProcess start(Path dir) throws Exception {
        return start(dir, java.util.Map.of());
    }

    /** As {@link #start(Path)}, with extra environment variables (NOTIFY_SOCKET, JOURNAL_STREAM, ...). */
    static DaemonProcess start(Path dir, java.util.Map<String, String> env) throws Exception {
        Path log = dir.resolve("daemon.log");
        Files.deleteIfExists(log);
        auditBeside(dir);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.ocimount.Main", "daemon",
                "--root", dir.resolve("root").toString(), "--state-dir", dir.resolve("run").toString(),
                "--config", dir.resolve("config.toml").toString()) // absent unless a test writes it
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (!read(log).contains("serving on")) { // a socket file alone may be a stale one from a killed daemon
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                String why = p.isAlive() ? "still starting after 60 s; its threads:\n" + threads(p) : "exited " + p.waitFor();
                p.destroyForcibly();
                throw new AssertionError("daemon did not start (" + why + "); its log:\n" + read(log));
            }
            Thread.sleep(50);
        }
        return new DaemonProcess(dir, p);
    }

    /**
     * Points the audit file into {@code dir} unless the test's config.toml says where: the default is the host's
     * /var/log/ocimount.
     */
    static void auditBeside(Path dir) throws java.io.IOException {
        Path config = dir.resolve("config.toml");
        String toml = Files.exists(config) ? Files.readString(config) : "";
        if (!toml.contains("[audit]")) {
            Files.writeString(config, toml + (toml.isEmpty() || toml.endsWith("\n") ? "" : "\n") + "[audit]\npath = \""
                    + dir.resolve("audit.jsonl") + "\"\n");
        }
    }

    /** A thread dump of a daemon that does not come up, so a failure on CI says where it waits. */
    private static String threads(Process p) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(p.pid()), "Thread.print").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            return "(no thread dump: " + e + ")";
        }
    }

    /** The daemon's VolumeService, each call bounded to a minute. */
    io.ocimount.api.v1.VolumeServiceGrpc.VolumeServiceBlockingStub volumes() {
        return io.ocimount.api.v1.VolumeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60,
                java.util.concurrent.TimeUnit.SECONDS);
    }

    ManagedChannel channel() {
        return channel;
    }

    long pid() {
        return process.pid();
    }

    String log() {
        return read(dir.resolve("daemon.log"));
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        channel.shutdownNow();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits; returns the exit status. */
    int terminate() throws InterruptedException {
        channel.shutdownNow();
        process.destroy();
        process.waitFor(15, TimeUnit.SECONDS);
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
    }
}
