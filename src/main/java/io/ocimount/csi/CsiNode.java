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
        PublishRequest p;
        try {
            p = PublishRequest.of(req);
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.of("NodePublishVolume", e));
            return;
        }
        try {
            volumes.mount(p.mount(), "CSI", p.credentials(), GrpcCancellation.current("publish volume " + Quote.of(req.getVolumeId())));
            out.onNext(NodePublishVolumeResponse.getDefaultInstance());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.ofMount("NodePublishVolume", e)); // a failed pull: UNKNOWN with the pull's own message
        }
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
