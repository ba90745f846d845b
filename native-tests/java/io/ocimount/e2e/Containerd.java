package io.ocimount.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Debian's containerd with its own root, state and socket in a temporary directory, driven by ctr. */
final class Containerd implements AutoCloseable {
    private final Process process;
    private final Path socket;
    private final Path root;

    Containerd(Path dir) throws Exception {
        root = dir.resolve("root");
        socket = dir.resolve("containerd.sock");
        Files.writeString(dir.resolve("config.toml"), "version = 2\nroot = \"" + dir.resolve("root") + "\"\nstate = \""
                + dir.resolve("state") + "\"\ndisabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n[grpc]\n  address = \""
                + socket + "\"\n");
        process = new ProcessBuilder("containerd", "--config", dir.resolve("config.toml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("containerd.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (ctr("version").rc() != 0) {
            if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                throw new IOException("containerd did not start: " + Files.readString(dir.resolve("containerd.log")));
            }
            Thread.sleep(100);
        }
    }

    Commands.Result ctr(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ctr", "--address", socket.toString()));
        cmd.addAll(List.of(args));
        return Commands.run(Map.of(), cmd);
    }

    /**
     * Stops container {@code id} for good before containerd goes: its task killed with SIGKILL and deleted once it
     * has stopped, then the container. A privileged task or its shim left running would outlive containerd and the
     * test's directories, so a task still listed after 30 s fails the test. Nothing to do for a task or container
     * that {@code ctr run -d} did not get to make.
     */
    void remove(String id) throws Exception {
        ctr("task", "kill", "-s", "SIGKILL", id);
        long deadline = System.currentTimeMillis() + 30_000;
        while (lists(List.of("task", "ls", "-q"), id)) {
            ctr("task", "delete", id); // refused while the task still runs
            if (lists(List.of("task", "ls", "-q"), id)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("task " + id + " still there 30 s after SIGKILL: " + ctr("task", "ls").describe());
                }
                Thread.sleep(100);
            }
        }
        if (lists(List.of("container", "ls", "-q"), id)) {
            Commands.ok(ctr("container", "delete", id));
        }
    }

    private boolean lists(List<String> command, String id) throws IOException, InterruptedException {
        return Commands.ok(ctr(command.toArray(String[]::new))).out().lines().map(String::strip).anyMatch(id::equals);
    }

    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        process.waitFor();
        // unpacked images hold absolute symlinks, which JUnit's temporary directory cleanup warns about one by one
        io.ocimount.sys.Trees.delete(root);
    }
}
