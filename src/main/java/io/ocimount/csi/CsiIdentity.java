package io.ocimount.csi;

import com.google.protobuf.BoolValue;
import csi.v1.GetPluginCapabilitiesRequest;
import csi.v1.GetPluginCapabilitiesResponse;
import csi.v1.GetPluginInfoRequest;
import csi.v1.GetPluginInfoResponse;
import csi.v1.IdentityGrpc;
import csi.v1.ProbeRequest;
import csi.v1.ProbeResponse;
import io.grpc.stub.StreamObserver;
import java.util.function.BooleanSupplier;

/**
 * CSI Identity: the driver's name and version, no plugin capabilities (a node-only plugin has no controller
 * service), and a probe that is ready once the image store can be written.
 */
public final class CsiIdentity extends IdentityGrpc.IdentityImplBase {
    private final String driverName;
    private final String version;
    private final BooleanSupplier ready;

    public CsiIdentity(String driverName, String version, BooleanSupplier ready) {
        this.driverName = driverName;
        this.version = version;
        this.ready = ready;
    }

    @Override
    public void getPluginInfo(GetPluginInfoRequest req, StreamObserver<GetPluginInfoResponse> out) {
        out.onNext(GetPluginInfoResponse.newBuilder().setName(driverName).setVendorVersion(version).build());
        out.onCompleted();
    }

    @Override
    public void getPluginCapabilities(GetPluginCapabilitiesRequest req, StreamObserver<GetPluginCapabilitiesResponse> out) {
        out.onNext(GetPluginCapabilitiesResponse.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void probe(ProbeRequest req, StreamObserver<ProbeResponse> out) {
        out.onNext(ProbeResponse.newBuilder().setReady(BoolValue.of(ready.getAsBoolean())).build());
        out.onCompleted();
    }
}
