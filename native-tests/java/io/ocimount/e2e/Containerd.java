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

    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        process.waitFor();
        // unpacked images hold absolute symlinks, which JUnit's temporary directory cleanup warns about one by one
        io.ocimount.sys.Trees.delete(root);
    }
}
