package io.ocimount.e2e;

import io.ocimount.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** The CLI run in the test's JVM against a daemon's socket, its output captured. */
final class InProcessCli {
    private InProcessCli() {
    }

    /** Runs {@code ocimount --socket SOCKET ARGS…}; returns the exit code, stdout and stderr. */
    static String[] run(Path socket, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            List<String> all = new ArrayList<>(List.of("--socket", socket.toString()));
            all.addAll(List.of(args));
            CommandLine cl = Cli.commandLine();
            cl.setErr(new PrintWriter(System.err, true));
            rc = cl.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new String[] {String.valueOf(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }
}
