package io.ocimount.cli;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;

/** A gRPC channel to the daemon's unix socket. */
public final class DaemonChannel {
    private DaemonChannel() {
    }

    public static ManagedChannel open(Path socket) {
        return Grpc.newChannelBuilder("unix://" + socket.toAbsolutePath(), InsecureChannelCredentials.create())
                .maxInboundMessageSize(16 << 20).build();
    }
}
