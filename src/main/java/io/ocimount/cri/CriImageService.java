package io.ocimount.cri;

import io.grpc.stub.StreamObserver;
import io.ocimount.policy.audit.Requester;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.image.ImageRecord;
import io.ocimount.image.ImageService;
import io.ocimount.image.StoreUsage;
import io.ocimount.ref.ImageQuery;
import io.ocimount.registry.Credentials;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import runtime.v1.AuthConfig;
import runtime.v1.FilesystemIdentifier;
import runtime.v1.FilesystemUsage;
import runtime.v1.ImageFsInfoRequest;
import runtime.v1.ImageFsInfoResponse;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.ImageStatusRequest;
import runtime.v1.ImageStatusResponse;
import runtime.v1.ListImagesRequest;
import runtime.v1.ListImagesResponse;
import runtime.v1.PullImageRequest;
import runtime.v1.PullImageResponse;
import runtime.v1.RemoveImageRequest;
import runtime.v1.RemoveImageResponse;
import runtime.v1.StreamImagesRequest;
import runtime.v1.StreamImagesResponse;
import runtime.v1.UInt64Value;

/** runtime.v1.ImageService over {@link ImageService}: translation only. */
public final class CriImageService extends ImageServiceGrpc.ImageServiceImplBase {
    private static final Logger LOG = Logger.getLogger(CriImageService.class.getName());
    private static final int STREAM_BATCH = 100;
    private final ImageService images;

    public CriImageService(ImageService images) {
        this.images = images;
    }

    @Override
    public void pullImage(PullImageRequest req, StreamObserver<PullImageResponse> out) {
        String ref = req.getImage().getImage();
        if (ref.isEmpty()) {
            out.onError(GrpcErrors.invalid("PullImage: no image specified"));
            return;
        }
        try {
            logRuntimeHandler("PullImage", req.getImage(), Level.INFO);
            Credentials creds = credentials(req.getAuth());
            ImageRecord r = images.pull(ref, requester(req), creds, GrpcCancellation.current("pull " + Quote.of(ref)));
            out.onNext(PullImageResponse.newBuilder().setImageRef(r.id().toString()).build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.ofPull("PullImage", e));
        }
    }

    /** kubelet names the pod a pull is for in its sandbox config: the audit record keeps it. */
    private static Requester requester(PullImageRequest req) {
        if (!req.hasSandboxConfig()) {
            return Requester.CRI;
        }
        var pod = req.getSandboxConfig().getMetadata();
        return new Requester("CRI", "", "", pod.getNamespace(), pod.getName(), pod.getUid(), "", "");
    }

    /**
     * kubelet sends the pod's RuntimeClass handler (feature RuntimeClassInImageCriAPI). ocimount keeps one store for
     * every handler, so the handler is accepted and logged (ImageStatus, which kubelet calls often, at debug level),
     * and the image is the same whichever handler asks.
     */
    private static void logRuntimeHandler(String rpc, ImageSpec spec, Level level) {
        if (!spec.getRuntimeHandler().isEmpty()) {
            LOG.log(level, () -> rpc + " " + Quote.of(spec.getImage()) + ": runtime handler " + Quote.of(spec.getRuntimeHandler())
                    + " (one image store serves every handler)");
        }
    }

    /**
     * The caller's credentials. Malformed ones are the caller's error, thrown as an INVALID_ARGUMENT status: the
     * pull paths send the domain's own failures as UNKNOWN (for kubelet) but pass a status on as it is.
     */
    public static Credentials credentials(AuthConfig a) {
        try {
            return Credentials.of(a.getServerAddress(), a.getUsername(), a.getPassword(), a.getAuth(),
                    a.getIdentityToken(), a.getRegistryToken());
        } catch (OciMountException e) {
            throw GrpcErrors.of("read credentials", e);
        }
    }

    @Override
    public void imageStatus(ImageStatusRequest req, StreamObserver<ImageStatusResponse> out) {
        String query = req.getImage().getImage();
        if (query.isEmpty()) {
            out.onError(GrpcErrors.invalid("ImageStatus: no image specified"));
            return;
        }
        try {
            logRuntimeHandler("ImageStatus", req.getImage(), Level.FINE);
            Optional<ImageRecord> r = images.status(ImageQuery.check(query));
            ImageStatusResponse.Builder b = ImageStatusResponse.newBuilder();
            r.ifPresent(rec -> {
                b.setImage(CriImages.toProto(rec, images.isPinned(rec)));
                if (req.getVerbose()) {
                    b.putInfo("info", CriImages.verboseInfo(rec));
                }
            });
            out.onNext(b.build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.of("ImageStatus", e));
        }
    }

    @Override
    public void listImages(ListImagesRequest req, StreamObserver<ListImagesResponse> out) {
        try {
            ListImagesResponse.Builder b = ListImagesResponse.newBuilder();
            filtered(req.getFilter().getImage().getImage()).forEach(r -> b.addImages(CriImages.toProto(r, images.isPinned(r))));
            out.onNext(b.build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.of("ListImages", e));
        }
    }

    @Override
    public void streamImages(StreamImagesRequest req, StreamObserver<StreamImagesResponse> out) {
        try {
            List<ImageRecord> all = filtered(req.getFilter().getImage().getImage());
            for (int i = 0; i < all.size(); i += STREAM_BATCH) {
                StreamImagesResponse.Builder b = StreamImagesResponse.newBuilder();
                all.subList(i, Math.min(all.size(), i + STREAM_BATCH)).forEach(r -> b.addImages(CriImages.toProto(r, images.isPinned(r))));
                out.onNext(b.build());
            }
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.of("StreamImages", e));
        }
    }

    /** An empty filter lists every image; any other must be a name an image could have. */
    private List<ImageRecord> filtered(String filter) {
        return images.list(filter.isBlank() ? filter : ImageQuery.check(filter));
    }

    @Override
    public void removeImage(RemoveImageRequest req, StreamObserver<RemoveImageResponse> out) {
        String ref = req.getImage().getImage();
        if (ref.isEmpty()) {
            out.onError(GrpcErrors.invalid("RemoveImage: no image specified"));
            return;
        }
        try {
            images.remove(ImageQuery.check(ref));
            out.onNext(RemoveImageResponse.getDefaultInstance());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.of("RemoveImage", e));
        }
    }

    @Override
    public void imageFsInfo(ImageFsInfoRequest req, StreamObserver<ImageFsInfoResponse> out) {
        try {
            StoreUsage.Usage u = images.usage();
            FilesystemUsage fs = FilesystemUsage.newBuilder()
                    .setTimestamp(u.timestampNanos())
                    .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(images.root().toString()))
                    .setUsedBytes(UInt64Value.newBuilder().setValue(u.bytes()))
                    .setInodesUsed(UInt64Value.newBuilder().setValue(u.inodes()))
                    .build();
            // images and the volumes made of them share one file system: CRI-O answers the same usage twice then
            out.onNext(ImageFsInfoResponse.newBuilder().addImageFilesystems(fs).addContainerFilesystems(fs).build());
            out.onCompleted();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.of("ImageFsInfo", e));
        }
    }
}
