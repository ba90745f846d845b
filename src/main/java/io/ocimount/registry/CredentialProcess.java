package io.ocimount.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a credential program (a kubelet credential provider plugin or a docker credential helper): the request on
 * its stdin, its stdout kept (at most {@link #MAX_OUTPUT} bytes), its stderr discarded, and
 * the whole of it killed, children included, when it runs past the timeout. What it prints is a secret: nothing here
 * puts it in a message.
 */
final class CredentialProcess {
    static final int MAX_OUTPUT = 1 << 20;

    private CredentialProcess() {
    }

    /** What the program did: its exit code and its stdout. */
    record Result(int exitCode, byte[] stdout) {
    }

    /** The program ran past its timeout and was killed. */
    static final class TimedOut extends Exception {
        private static final long serialVersionUID = 1L;

        TimedOut(String message) {
            super(message);
        }
    }

    /**
     * @param env variables added to (and overriding) the daemon's own environment, as kubelet does for plugins
     * @throws IOException the program could not be started, or its output was too large
     */
    static Result run(Path program, List<String> args, Map<String, String> env, byte[] stdin, Duration timeout)
            throws IOException, TimedOut {
        List<String> command = new ArrayList<>();
        command.add(program.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        // its own thread: a blocking read on the shared common pool could starve other pulls' reads
        CompletableFuture<byte[]> out = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                out.complete(readBounded(p.getInputStream()));
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        }, "ocimount-credential-output");
        reader.setDaemon(true);
        reader.start();
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // the program exited without reading its input: its exit code and output tell the rest
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new TimedOut("timed out after " + describe(timeout) + " and was killed");
            }
            byte[] stdout = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (stdout == null) {
                throw new IOException("printed more than " + MAX_OUTPUT + " bytes");
            }
            return new Result(p.exitValue(), stdout);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            kill(p); // a child still holds stdout open after the program itself exited
            throw new TimedOut("left its output open after it exited, past " + describe(timeout));
        } finally {
            out.cancel(true);
        }
    }

    /** The program and everything it started: a shell script's {@code sleep} would otherwise hold stdout open. */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.getInputStream().close();
        } catch (IOException ignored) {
            // nothing more to do with it
        }
    }

    /** stdout, or null when it is larger than {@link #MAX_OUTPUT}. */
    private static byte[] readBounded(InputStream in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (buf.size() + n > MAX_OUTPUT) {
                    return null;
                }
                buf.write(chunk, 0, n);
            }
        } catch (IOException e) {
            // the pipe was closed by a kill: what arrived is all there is
        }
        return buf.toByteArray();
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
