package io.ocimount.cli;

import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Run in its own JVM by {@link CliCommandsTest}: prints the live client event loop threads before and after. */
public final class EventLoopExitProbe {
    private EventLoopExitProbe() {
    }

    static long loops() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("ocimount-client") && t.isAlive()).count();
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("probe");
        ManagedChannel ch = DaemonChannel.open(dir.resolve("absent.sock"));
        try {
            runtime.v1.RuntimeServiceGrpc.newBlockingStub(ch).version(runtime.v1.VersionRequest.getDefaultInstance());
        } catch (RuntimeException expected) {
            // no daemon: the connection attempt started the event loop all the same
        } finally {
            ch.shutdownNow();
        }
        long before = loops();
        DaemonChannel.endEventLoopBeforeExit();
        System.out.println(before + " " + loops());
        Files.delete(dir);
    }
}
