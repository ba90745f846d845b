package io.ocimount.api;

import io.grpc.stub.StreamObserver;
import io.ocimount.api.v1.ListVolumesRequest;
import io.ocimount.api.v1.ListVolumesResponse;
import io.ocimount.api.v1.MountVolumeRequest;
import io.ocimount.api.v1.MountVolumeResponse;
import io.ocimount.api.v1.UnmountVolumeRequest;
import io.ocimount.api.v1.UnmountVolumeResponse;
import io.ocimount.api.v1.Volume;
import io.ocimount.api.v1.VolumeServiceGrpc;
import io.ocimount.cri.CriImageService;
import io.ocimount.cri.GrpcCancellation;
import io.ocimount.cri.GrpcErrors;
import io.ocimount.errdefs.Quote;
import io.ocimount.registry.Credentials;
import io.ocimount.volume.MountRequest;
import io.ocimount.volume.PullPolicy;
import io.ocimount.volume.VolumeRecord;
import io.ocimount.volume.VolumeService;

/** ocimount.v1.VolumeService over gRPC: protobuf in and out, errors as gRPC statuses. */
public final class GrpcVolumeService extends VolumeServiceGrpc.VolumeServiceImplBase {
    private final VolumeService volumes;

    public GrpcVolumeService(VolumeService volumes) {
        this.volumes = volumes;
    }

    @Override
    public void mountVolume(MountVolumeRequest req, StreamObserver<MountVolumeResponse> out) {
        try {
            String id = req.getVolumeId();
            Credentials creds = CriImageService.credentials(req.getAuth());
            MountRequest m = new MountRequest(id, req.getTargetPath(), req.getMount().getImage().getImage(),
                    req.getMount().getImageSubPath(), req.getMount().getReadonly(), req.getMount().getHostPath(),
                    policy(req.getPullPolicy()), req.getPodNamespace(), req.getPodName(), req.getPodUid());
            VolumeRecord r = volumes.mount(m, "CLI", creds, GrpcCancellation.current("mount volume " + Quote.of(id)));
            out.onNext(MountVolumeResponse.newBuilder().setImageRef(r.imageId().toString()).setManifestDigest(r.manifest().toString())
                    .setTargetPath(r.target()).build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.ofMount("MountVolume", e));
        }
    }

    private static PullPolicy policy(io.ocimount.api.v1.PullPolicy p) {
        return switch (p) {
            case ALWAYS -> PullPolicy.ALWAYS;
            case IF_NOT_PRESENT -> PullPolicy.IF_NOT_PRESENT;
            case NEVER -> PullPolicy.NEVER;
            default -> null;
        };
    }

    @Override
    public void unmountVolume(UnmountVolumeRequest req, StreamObserver<UnmountVolumeResponse> out) {
        try {
            volumes.unmount(req.getVolumeId());
            out.onNext(UnmountVolumeResponse.getDefaultInstance());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.of("UnmountVolume", e));
        }
    }

    @Override
    public void listVolumes(ListVolumesRequest req, StreamObserver<ListVolumesResponse> out) {
        try {
            ListVolumesResponse.Builder b = ListVolumesResponse.newBuilder();
            for (VolumeRecord r : volumes.list()) {
                b.addVolumes(Volume.newBuilder().setVolumeId(r.id()).setTargetPath(r.target()).setImage(r.image())
                        .setImageRef(r.imageId().toString()).setManifestDigest(r.manifest().toString()).setSubPath(r.subPath())
                        .setPodNamespace(r.podNamespace()).setPodName(r.podName()).setPodUid(r.podUid())
                        .setCreatedAt(r.createdAtMillis() * 1_000_000L));
            }
            out.onNext(b.build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.of("ListVolumes", e));
        }
    }
}
