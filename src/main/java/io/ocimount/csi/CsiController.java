package io.ocimount.csi;

import csi.v1.ControllerGetCapabilitiesRequest;
import csi.v1.ControllerGetCapabilitiesResponse;
import csi.v1.ControllerGrpc;
import csi.v1.ControllerServiceCapability;
import csi.v1.CreateVolumeRequest;
import csi.v1.CreateVolumeResponse;
import csi.v1.DeleteVolumeRequest;
import csi.v1.DeleteVolumeResponse;
import csi.v1.Volume;
import io.grpc.stub.StreamObserver;
import io.ocimount.cri.GrpcErrors;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Digest;

/**
 * The controller calls csi-sanity's Node tests make; kubelet makes none, since Identity advertises no controller
 * service. Nothing is provisioned: an image volume is its image, so CreateVolume hands the parameters back as
 * the volume context (name the image in {@code image}) and DeleteVolume has nothing to delete.
 */
public final class CsiController extends ControllerGrpc.ControllerImplBase {
    @Override
    public void controllerGetCapabilities(ControllerGetCapabilitiesRequest req,
                                          StreamObserver<ControllerGetCapabilitiesResponse> out) {
        out.onNext(ControllerGetCapabilitiesResponse.newBuilder().addCapabilities(ControllerServiceCapability.newBuilder()
                .setRpc(ControllerServiceCapability.RPC.newBuilder()
                        .setType(ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME))).build());
        out.onCompleted();
    }

    @Override
    public void createVolume(CreateVolumeRequest req, StreamObserver<CreateVolumeResponse> out) {
        try {
            if (req.getName().isEmpty()) {
                throw OciMountException.invalid("CreateVolume: name is missing");
            }
            if (req.getVolumeCapabilitiesCount() == 0) {
                throw OciMountException.invalid("CreateVolume: volume_capabilities is missing");
            }
            if (req.getVolumeCapabilitiesList().stream().anyMatch(c -> c.hasBlock())) {
                throw OciMountException.invalid("CreateVolume: an image volume is a file system, not a block device");
            }
            // the same name gives the same id, so a repeated CreateVolume is the same volume
            String id = "ocimount-" + Digest.ofString(req.getName()).shortHex();
            out.onNext(CreateVolumeResponse.newBuilder().setVolume(Volume.newBuilder().setVolumeId(id)
                    .putAllVolumeContext(req.getParametersMap())).build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.of("CreateVolume", e));
        }
    }

    @Override
    public void deleteVolume(DeleteVolumeRequest req, StreamObserver<DeleteVolumeResponse> out) {
        if (req.getVolumeId().isEmpty()) {
            out.onError(GrpcErrors.invalid("DeleteVolume: volume_id is missing"));
            return;
        }
        out.onNext(DeleteVolumeResponse.getDefaultInstance());
        out.onCompleted();
    }
}
