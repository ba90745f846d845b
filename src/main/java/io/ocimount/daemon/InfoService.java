package io.ocimount.daemon;

import io.ocimount.config.DaemonConfig;
import io.ocimount.config.Version;
import io.grpc.stub.StreamObserver;
import io.ocimount.api.v1.InfoGrpc;
import io.ocimount.api.v1.VersionRequest;
import io.ocimount.api.v1.VersionResponse;

/** ocimount.v1.Info: what daemon answers on this socket. */
final class InfoService extends InfoGrpc.InfoImplBase {
    private final DaemonConfig config;

    InfoService(DaemonConfig config) {
        this.config = config;
    }

    @Override
    public void version(VersionRequest req, StreamObserver<VersionResponse> out) {
        out.onNext(VersionResponse.newBuilder().setVersion(Version.VERSION).setRoot(config.root().toString())
                .setPlatform(config.platform().toString()).build());
        out.onCompleted();
    }
}
