package io.ocimount.volume;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Reasons;
import io.ocimount.image.ImageRecord;
import io.ocimount.image.ImageService;
import io.ocimount.metrics.Meters;
import io.ocimount.mount.Mounter;
import io.ocimount.mount.SubPathResolver;
import io.ocimount.oci.Digest;
import io.ocimount.ref.Reference;
import io.ocimount.registry.Credentials;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Image volumes: apply the pull policy, share one read-only view per image, resolve the sub path inside it
 * without leaving it, and bind it read-only onto the target. Views and layers are held while any volume uses
 * them, so RemoveImage can take an image's names at once and its files only after the last unmount.
 */
public final class VolumeService {
    private static final Logger LOG = Logger.getLogger(VolumeService.class.getName());
    private final ImageService images;
    private final Mounter mounter;
    private final VolumeStore store;
    private final Views views;
    private final Targets targets = new Targets();
    private final Object lock = new Object();
    private final Meters meters;

    public VolumeService(ImageService images, Mounter mounter, Path stateDir) {
        this(images, mounter, stateDir, Meters.NONE);
    }

    public VolumeService(ImageService images, Mounter mounter, Path stateDir, Meters meters) {
        this.meters = meters;
        this.images = images;
        this.mounter = mounter;
        this.store = new VolumeStore(stateDir);
        this.views = new Views(stateDir, mounter);
        images.pinWith(this::pinnedChainIds);
    }

    private Set<String> pinnedChainIds() {
        Set<String> pins = new HashSet<>();
        store.list().forEach(r -> pins.addAll(r.chainIds()));
        return pins;
    }

    /** Counts the request and its outcome the way kubelet's image volume metrics do. */
    public VolumeRecord mount(MountRequest req, Credentials creds, Cancellation cancel) {
        meters.volumeRequested();
        long start = System.nanoTime();
        try {
            VolumeRecord r = mountCounted(req, creds, cancel);
            meters.volumeMounted();
            LOG.info(() -> "mounted volume " + r.id() + " image=" + r.image() + " id=" + r.imageId() + " digest=" + r.manifest()
                    + (r.subPath().isEmpty() ? "" : " subPath=" + r.subPath()) + " on " + r.target() + " in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
            return r;
        } catch (RuntimeException e) {
            if (e instanceof OciMountException ome && Reasons.IMAGE_VOLUME_MOUNT_FAILED.equals(ome.reason())) {
                meters.volumeMountFailed();
            }
            LOG.info(() -> "mount volume " + req.volumeId() + " image=" + req.image() + " failed after "
                    + (System.nanoTime() - start) / 1_000_000 + " ms: " + e.getMessage());
            throw e;
        }
    }

    private VolumeRecord mountCounted(MountRequest req, Credentials creds, Cancellation cancel) {
        validate(req);
        synchronized (lock) {
            VolumeRecord existing = store.get(req.volumeId());
            if (existing != null) {
                if (req.sameMountAs(existing)) {
                    return existing;
                }
                throw failed(req, ErrorKind.ALREADY_EXISTS, "volume id in use for " + existing.image() + " on " + existing.target());
            }
            checkTargetFree(req);
        }
        ImageRecord image = ensureImage(req, creds, cancel);
        synchronized (lock) {
            VolumeRecord again = store.get(req.volumeId());
            if (again != null) { // a concurrent identical request won
                if (req.sameMountAs(again)) {
                    return again;
                }
                throw failed(req, ErrorKind.ALREADY_EXISTS, "volume id in use for " + again.image());
            }
            checkTargetFree(req);
            return mountLocked(req, image);
        }
    }

    private VolumeRecord mountLocked(MountRequest req, ImageRecord image) {
        List<Digest> chain = image.chainIds();
        String key = Digest.parse(image.id()).hex();
        Path target = Path.of(req.target());
        VolumeRecord record = null;
        boolean createdTarget = false;
        boolean bound = false;
        try {
            views.ensure(key, images.viewLayers(image));
            try (SubPathResolver.Opened source = SubPathResolver.open(views.path(key), req.subPath())) {
                createdTarget = targets.prepare(target, source.directory());
                record = new VolumeRecord(req.volumeId(), req.target(), req.image(), image.id(), image.manifest(),
                        req.subPath(), chain.stream().map(Digest::toString).toList(), key, createdTarget,
                        req.podNamespace(), req.podName(), req.podUid(), VolumeRecord.PENDING, System.currentTimeMillis());
                store.put(record);
                mounter.bind(source, target);
                bound = true;
            }
            VolumeRecord done = record.mounted();
            store.put(done);
            return done;
        } catch (RuntimeException e) {
            if (bound) {
                mounter.unmount(target);
            }
            if (createdTarget) {
                targets.remove(target);
            }
            if (record != null) {
                store.remove(record.id());
            }
            releaseViewIfUnused(key);
            throw e instanceof OciMountException ome ? failed(req, ome.kind(), ome.getMessage()) : e;
        }
    }

    /** Applies the pull policy; pull failures keep their own message (kubelet reads their prefix). */
    private ImageRecord ensureImage(MountRequest req, Credentials creds, Cancellation cancel) {
        Reference ref = Reference.parse(req.image());
        PullPolicy policy = req.pullPolicy() != null ? req.pullPolicy() : PullPolicy.defaultFor(ref);
        Optional<ImageRecord> present = policy == PullPolicy.ALWAYS ? Optional.empty() : images.status(req.image());
        if (present.isPresent()) {
            return present.get();
        }
        if (policy == PullPolicy.NEVER) {
            throw new OciMountException(ErrorKind.FAILED_PRECONDITION, Reasons.ERR_IMAGE_NEVER_PULL,
                    "Container image \"" + req.image() + "\" is not present with pull policy of Never (volume "
                            + req.volumeId() + ")", null);
        }
        Optional<ImageRecord> before = images.status(req.image());
        ImageRecord pulled = images.pull(req.image(), creds, cancel);
        before.filter(b -> !b.manifest().equals(pulled.manifest())).ifPresent(b -> LOG.info(() -> "tag " + ref
                + " moved from " + b.manifest() + " to " + pulled.manifest() + " (volume " + req.volumeId() + ")"));
        return pulled;
    }

    /** Unmounts by volume id or target path. Unknown volumes are a success. */
    public void unmount(String idOrTarget) {
        VolumeRecord r;
        boolean released;
        synchronized (lock) {
            r = store.get(idOrTarget);
            if (r == null) {
                r = store.list().stream().filter(v -> v.target().equals(idOrTarget)).findFirst().orElse(null);
            }
            if (r == null) {
                return;
            }
            Path target = Path.of(r.target());
            mounter.unmount(target);
            if (r.createdTarget()) {
                targets.remove(target);
            }
            store.remove(r.id());
            released = releaseViewIfUnused(r.view());
        }
        VolumeRecord gone = r;
        LOG.info(() -> "unmounted volume " + gone.id() + " from " + gone.target());
        if (released && images.status(r.imageId()).isEmpty()) {
            images.collectGarbage(); // the image was removed while mounted: its files can go now
        }
    }

    public List<VolumeRecord> list() {
        return store.list();
    }

    /**
     * After a restart: drops records whose target is no longer mounted, restores missing views of the rest,
     * and takes down views no record uses. It only ever unmounts views under its own state directory.
     */
    public void reconcile() {
        synchronized (lock) {
            var table = io.ocimount.mount.MountInfo.read();
            for (VolumeRecord r : store.list()) {
                if (io.ocimount.mount.MountInfo.at(table, Path.of(r.target())) == null) {
                    LOG.info(() -> "dropping volume " + r.id() + ": " + r.target() + " is no longer mounted");
                    store.remove(r.id());
                } else if (VolumeRecord.PENDING.equals(r.state())) {
                    store.put(r.mounted());
                }
            }
            for (VolumeRecord r : store.list()) {
                List<Path> layers = images.layerPaths(r.chainIds().stream().map(Digest::parse).toList());
                if (!views.isMounted(r.view(), layers)) {
                    views.ensure(r.view(), layers);
                    LOG.info(() -> "restored view " + r.view() + " for volume " + r.id());
                }
            }
            for (String key : views.keysOnDisk()) {
                releaseViewIfUnused(key);
            }
        }
        images.collectGarbage();
    }

    private boolean releaseViewIfUnused(String key) {
        if (store.list().stream().noneMatch(v -> v.view().equals(key))) {
            views.release(key);
            return true;
        }
        return false;
    }

    private void checkTargetFree(MountRequest req) {
        store.list().stream().filter(v -> v.target().equals(req.target())).findFirst().ifPresent(v -> {
            throw failed(req, ErrorKind.ALREADY_EXISTS, "target " + req.target() + " already holds volume " + v.id());
        });
    }

    private static void validate(MountRequest req) {
        if (req.volumeId() == null || req.volumeId().isBlank()) {
            throw failed(req, ErrorKind.INVALID_ARGUMENT, "no volume id");
        }
        if (req.image() == null || req.image().isBlank()) {
            throw failed(req, ErrorKind.INVALID_ARGUMENT, "no image specified");
        }
        if (!req.readonly()) {
            throw failed(req, ErrorKind.INVALID_ARGUMENT, "readonly must be true for an image volume");
        }
        if (!req.hostPath().isEmpty()) {
            throw failed(req, ErrorKind.INVALID_ARGUMENT, "host_path must be empty for an image volume");
        }
        if (req.target() == null || !req.target().startsWith("/") || Path.of(req.target()).normalize().toString().equals("/")) {
            throw failed(req, ErrorKind.INVALID_ARGUMENT, "target \"" + req.target() + "\" must be an absolute path other than /");
        }
    }

    /** "ImageVolumeMountFailed: <cause> in image "<ref>" (volume <id>)", the form kubelet users see. */
    static OciMountException failed(MountRequest req, ErrorKind kind, String cause) {
        String image = req.image() == null || req.image().isBlank() ? "" : " in image \"" + req.image() + "\"";
        String suffix = image + " (volume " + req.volumeId() + ")";
        String msg = cause.endsWith(suffix) ? cause : cause + suffix;
        return new OciMountException(kind, Reasons.IMAGE_VOLUME_MOUNT_FAILED, msg, null);
    }
}
