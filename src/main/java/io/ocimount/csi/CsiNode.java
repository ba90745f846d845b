package io.ocimount.csi;

import csi.v1.NodeGetCapabilitiesRequest;
import csi.v1.NodeGetCapabilitiesResponse;
import csi.v1.NodeGetInfoRequest;
import csi.v1.NodeGetInfoResponse;
import csi.v1.NodeGrpc;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodePublishVolumeResponse;
import csi.v1.NodeUnpublishVolumeRequest;
import csi.v1.NodeUnpublishVolumeResponse;
import io.grpc.stub.StreamObserver;
import io.ocimount.cri.GrpcCancellation;
import io.ocimount.cri.GrpcErrors;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.errdefs.Reasons;
import io.ocimount.volume.VolumeRecord;
import io.ocimount.volume.VolumeService;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * CSI Node: NodePublishVolume is an image-volume mount through the VolumeService (read-only, one shared view per
 * image, the pull policy applied), NodeUnpublishVolume takes it down. No staging, no stats, no expansion.
 */
public final class CsiNode extends NodeGrpc.NodeImplBase {
    private static final Logger LOG = Logger.getLogger(CsiNode.class.getName());
    private final VolumeService volumes;
    private final String nodeId;

    public CsiNode(VolumeService volumes, String nodeId) {
        this.volumes = volumes;
        this.nodeId = nodeId;
    }

    @Override
    public void nodeGetCapabilities(NodeGetCapabilitiesRequest req, StreamObserver<NodeGetCapabilitiesResponse> out) {
        out.onNext(NodeGetCapabilitiesResponse.getDefaultInstance());
        out.onCompleted();
    }

    @Override
    public void nodeGetInfo(NodeGetInfoRequest req, StreamObserver<NodeGetInfoResponse> out) {
        out.onNext(NodeGetInfoResponse.newBuilder().setNodeId(nodeId).build()); // no limit on volumes per node
        out.onCompleted();
    }

    /**
     * Repeating a publish of the same volume on the same target is a success that changes nothing (kubelet
     * retries); the same volume id on another target, or another volume on this target, is ALREADY_EXISTS.
     */
    @Override
    public void nodePublishVolume(NodePublishVolumeRequest req, StreamObserver<NodePublishVolumeResponse> out) {
        try {
            PublishRequest p = PublishRequest.of(req);
            volumes.mount(p.mount(), p.credentials(), GrpcCancellation.current("publish volume " + Quote.of(req.getVolumeId())));
            out.onNext(NodePublishVolumeResponse.getDefaultInstance());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(isVolumeFailure(e) ? GrpcErrors.of("NodePublishVolume", e) : GrpcErrors.ofPull("NodePublishVolume", e));
        }
    }

    /** The volume's own failures keep their code (INVALID_ARGUMENT, NOT_FOUND, ...); a failed pull says why it failed. */
    private static boolean isVolumeFailure(RuntimeException e) {
        return !(e instanceof OciMountException ome) || ome.reason() == null
                || Reasons.IMAGE_VOLUME_MOUNT_FAILED.equals(ome.reason()) || Reasons.ERR_IMAGE_NEVER_PULL.equals(ome.reason());
    }

    /** Unmounts the volume when it is mounted on that target; anything else (unknown volume, other target) is done. */
    @Override
    public void nodeUnpublishVolume(NodeUnpublishVolumeRequest req, StreamObserver<NodeUnpublishVolumeResponse> out) {
        try {
            if (req.getVolumeId().isEmpty()) {
                throw OciMountException.invalid("NodeUnpublishVolume: volume_id is missing");
            }
            if (req.getTargetPath().isEmpty()) {
                throw OciMountException.invalid("NodeUnpublishVolume: target_path is missing");
            }
            Optional<VolumeRecord> published = volumes.list().stream().filter(v -> v.id().equals(req.getVolumeId())).findFirst();
            if (published.isPresent() && isAt(published.get(), req.getTargetPath())) {
                volumes.unmount(req.getVolumeId());
            } else if (published.isPresent()) {
                LOG.warning(() -> "NodeUnpublishVolume: volume " + Quote.of(req.getVolumeId()) + " is published on "
                        + published.get().target() + ", not on " + Quote.of(req.getTargetPath()) + "; left as it is");
            }
            out.onNext(NodeUnpublishVolumeResponse.getDefaultInstance());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.of("NodeUnpublishVolume", e));
        }
    }

    private static boolean isAt(VolumeRecord r, String target) {
        return r.target().equals(target) || r.mountPoint().equals(target);
    }
}
