package io.ocimount.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs real programs for the end-to-end tests: the ocimount CLI in its own JVM, skopeo, ctr. */
final class Commands {
    record Result(int rc, String out, String err) {
        String describe() {
            return "rc=" + rc + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private Commands() {
    }

    static Result run(Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
        return run(env, cmd, 180);
    }

    static Result run(Map<String, String> env, List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("cmd-out", ".txt");
        Path err = Files.createTempFile("cmd-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** {@code ocimount ARGS} as a user runs it: a fresh JVM on the test class path. */
    static Result ocimount(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.ocimount.Main"));
        cmd.addAll(List.of(args));
        return run(env, cmd);
    }

    static Result ok(Result r) {
        if (r.rc() != 0) {
            throw new AssertionError(r.describe());
        }
        return r;
    }
}
