package io.ocimount.e2e;

import io.grpc.ManagedChannel;
import io.ocimount.api.v1.ListVolumesRequest;
import io.ocimount.api.v1.UnmountVolumeRequest;
import io.ocimount.api.v1.Volume;
import io.ocimount.api.v1.VolumeServiceGrpc;
import io.ocimount.cli.DaemonChannel;
import io.ocimount.daemon.Daemon;
import io.ocimount.config.DaemonConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import runtime.v1.ImageServiceGrpc;

/**
 * The daemon in the test's own JVM (quicker to start than {@link DaemonProcess}, for tests that never kill it) on
 * a real socket, with clients. Closing it unmounts every volume it still has, so the temporary directory can go.
 */
class InProcessDaemon implements AutoCloseable {
    private final Daemon daemon;
    private final ManagedChannel channel;

    InProcessDaemon(Path root, Path stateDir) throws Exception {
        Path socket = stateDir.resolve("ocimount.sock");
        daemon = new Daemon(DaemonConfig.defaults().withPaths(root, stateDir, socket)
                .withAuditFile(stateDir.resolve("audit.jsonl")));
        channel = DaemonChannel.open(socket);
    }

    ManagedChannel channel() {
        return channel;
    }

    /** The CRI ImageService, each call bounded to a minute. */
    ImageServiceGrpc.ImageServiceBlockingStub images() {
        return ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** The VolumeService, each call bounded to a minute. */
    VolumeServiceGrpc.VolumeServiceBlockingStub volumes() {
        return VolumeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            for (Volume v : volumes().listVolumes(ListVolumesRequest.getDefaultInstance()).getVolumesList()) {
                volumes().unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId(v.getVolumeId()).build());
            }
        } finally {
            channel.shutdownNow();
            daemon.close();
        }
    }
}
