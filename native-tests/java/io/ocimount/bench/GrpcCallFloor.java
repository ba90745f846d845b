package io.ocimount.bench;

import io.grpc.ManagedChannel;
import io.ocimount.api.v1.InfoGrpc;
import io.ocimount.api.v1.VersionRequest;
import io.ocimount.cli.DaemonChannel;
import java.nio.file.Path;

/**
 * The floor of any Java gRPC client of the daemon: a JVM that opens the socket, makes one Version call and exits,
 * with nothing of the CLI (no command line parsing, no output formatting). scripts/bench-cli.sh times the CLI
 * against it, as crictl is not packaged on Debian.
 */
public final class GrpcCallFloor {
    private GrpcCallFloor() {
    }

    public static void main(String[] args) {
        ManagedChannel ch = DaemonChannel.open(Path.of(args[0]));
        try {
            InfoGrpc.newBlockingStub(ch).version(VersionRequest.getDefaultInstance());
        } finally {
            ch.shutdownNow();
        }
        // as the CLI's Main ends: else the exit may wait 300 ms for the loop in epoll_wait, and returning from main
        // would wait a second for Netty's non-daemon GlobalEventExecutor thread that the loop's shutdown starts
        DaemonChannel.endEventLoopBeforeExit();
        System.exit(0);
    }
}
