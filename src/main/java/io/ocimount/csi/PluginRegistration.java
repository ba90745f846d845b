package io.ocimount.csi;

import io.grpc.stub.StreamObserver;
import java.util.logging.Logger;
import pluginregistration.v1.InfoRequest;
import pluginregistration.v1.PluginInfo;
import pluginregistration.v1.RegistrationGrpc;
import pluginregistration.v1.RegistrationStatus;
import pluginregistration.v1.RegistrationStatusResponse;

/**
 * kubelet's plugin registration (what node-driver-registrar does in a DaemonSet): kubelet finds the socket in its
 * plugin watcher directory, asks who we are and where the CSI socket is, and says whether it registered us.
 */
public final class PluginRegistration extends RegistrationGrpc.RegistrationImplBase {
    private static final Logger LOG = Logger.getLogger(PluginRegistration.class.getName());
    /** The CSI spec versions kubelet may speak to the plugin. */
    static final String CSI_VERSION = "1.0.0";
    private final String driverName;
    private final String csiEndpoint;

    public PluginRegistration(String driverName, String csiEndpoint) {
        this.driverName = driverName;
        this.csiEndpoint = csiEndpoint;
    }

    @Override
    public void getInfo(InfoRequest req, StreamObserver<PluginInfo> out) {
        out.onNext(PluginInfo.newBuilder().setType("CSIPlugin").setName(driverName).setEndpoint(csiEndpoint)
                .addSupportedVersions(CSI_VERSION).build());
        out.onCompleted();
    }

    @Override
    public void notifyRegistrationStatus(RegistrationStatus status, StreamObserver<RegistrationStatusResponse> out) {
        if (status.getPluginRegistered()) {
            LOG.info(() -> "kubelet registered CSI driver " + driverName + " at " + csiEndpoint);
        } else {
            LOG.warning(() -> "kubelet did not register CSI driver " + driverName + ": " + status.getError());
        }
        out.onNext(RegistrationStatusResponse.getDefaultInstance());
        out.onCompleted();
    }
}
