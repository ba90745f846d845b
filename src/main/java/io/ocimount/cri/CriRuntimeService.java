package io.ocimount.cri;

import io.grpc.stub.StreamObserver;
import runtime.v1.RuntimeServiceGrpc;
import runtime.v1.VersionRequest;
import runtime.v1.VersionResponse;

/** RuntimeService.Version only: kubelet and critest need it to accept the endpoint; the rest is UNIMPLEMENTED. */
public final class CriRuntimeService extends RuntimeServiceGrpc.RuntimeServiceImplBase {
    /** kubelet refuses a runtime whose Version.version is not exactly this. */
    public static final String KUBE_RUNTIME_API_VERSION = "0.1.0";
    private final String daemonVersion;

    public CriRuntimeService(String daemonVersion) {
        this.daemonVersion = daemonVersion;
    }

    @Override
    public void version(VersionRequest req, StreamObserver<VersionResponse> out) {
        out.onNext(VersionResponse.newBuilder()
                .setVersion(KUBE_RUNTIME_API_VERSION)
                .setRuntimeName("ocimount")
                .setRuntimeVersion(daemonVersion)
                .setRuntimeApiVersion("v1")
                .build());
        out.onCompleted();
    }
}
