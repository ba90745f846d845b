package io.ocimount.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A datagram socket standing in for systemd's NOTIFY_SOCKET, in python3 (the JDK cannot bind an AF_UNIX datagram
 * socket): every message is appended to a file as one line, its newlines made spaces. An address "@name" is bound
 * in the abstract namespace, as systemd does.
 */
public final class NotifyListener implements AutoCloseable {
    private static final long WAIT_MILLIS = 20_000;
    private static final String PY = "import socket,sys\na=sys.argv[1]\na='\\0'+a[1:] if a.startswith('@') else a\n"
            + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\ns.bind(a)\nopen(sys.argv[2]+'.up','w').close()\n"
            + "while True:\n  m=s.recv(4096).decode()\n  f=open(sys.argv[2],'a'); f.write(m.replace('\\n',' ')+'\\n'); f.close()\n";
    private final Process process;
    private final Path log;

    private NotifyListener(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Binds {@code address} and returns once it listens; messages go to {@code log}. */
    public static NotifyListener start(String address, Path log) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", PY, address, log.toString()).redirectErrorStream(true).start();
        NotifyListener l = new NotifyListener(p, log);
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!Files.exists(Path.of(log + ".up"))) {
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                p.destroy();
                throw new AssertionError("notify listener on " + address + " did not start: "
                        + new String(p.getInputStream().readNBytes(4096)));
            }
            Thread.sleep(20);
        }
        return l;
    }

    /** The messages received so far, one a line. */
    public List<String> messages() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** Waits until at least {@code count} messages arrived (20 s at most) and returns them. */
    public List<String> await(int count) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (messages().size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return messages();
    }

    @Override
    public void close() {
        process.destroy();
    }
}
