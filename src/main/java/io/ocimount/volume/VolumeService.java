package io.ocimount.volume;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.errdefs.Reasons;
import io.ocimount.image.ImageHold;
import io.ocimount.image.ImageRecord;
import io.ocimount.image.ImageService;
import io.ocimount.metrics.Meters;
import io.ocimount.policy.audit.Requester;
import io.ocimount.mount.MountId;
import io.ocimount.mount.Mounter;
import io.ocimount.mount.SubPathResolver;
import io.ocimount.registry.Credentials;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Image volumes: apply the pull policy, share one read-only view per image, resolve the sub path inside it
 * without leaving it, and bind it read-only onto the target. Views and layers are held while any volume uses
 * them, so RemoveImage can take an image's names at once and its files only after the last unmount.
 *
 * <p>A mount whose caller gave up (its deadline passed) once the image is there still finishes, and the volume
 * stays: kubelet retries with the same volume id, and that retry then succeeds at once. UnmountVolume undoes it.
 */
public final class VolumeService {
    private static final Logger LOG = Logger.getLogger(VolumeService.class.getName());
    private final ImageService images;
    private final VolumeImages volumeImages;
    private final Mounter mounter;
    private final VolumeStore store;
    private final Views views;
    private final Targets targets;
    private final Object lock = new Object();
    private final Meters meters;

    /**
     * @param images       the store the views are made from, and that collects what volumes no longer pin
     * @param volumeImages finds or pulls a volume's image by its pull policy
     * @param store        the volume records; the caller has the image service pin the layers they name
     */
    public VolumeService(ImageService images, VolumeImages volumeImages, Mounter mounter, VolumeStore store, Views views,
                         Targets targets, Meters meters) {
        this.images = images;
        this.volumeImages = volumeImages;
        this.mounter = mounter;
        this.store = store;
        this.views = views;
        this.targets = targets;
        this.meters = meters;
    }

    /**
     * Counts the request and its outcome the way kubelet's image volume metrics do, and leaves an audit record of it.
     *
     * @param caller "CRI", "CLI" or "CSI": who asked, as audit records name them
     */
    public VolumeRecord mount(MountRequest req, String caller, Credentials creds, Cancellation cancel) {
        meters.volumeRequested();
        long start = System.nanoTime();
        Requester who = new Requester(caller, req.volumeId(), req.target(), req.podNamespace(), req.podName(),
                req.podUid(), req.podServiceAccount(), policyName(req));
        try {
            VolumeRecord r = mountOrReuse(req, who, creds, cancel);
            images.status(r.imageId().toString()).ifPresent(image -> images.auditMount(who, req.image(), image));
            meters.volumeMounted();
            LOG.info(() -> "mounted volume " + r.id() + " image=" + r.image() + " id=" + r.imageId() + " digest=" + r.manifest()
                    + (r.subPath().isEmpty() ? "" : " subPath=" + r.subPath()) + " on " + r.mountPoint() + pod(r) + " in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms");
            return r;
        } catch (RuntimeException e) {
            if (e instanceof OciMountException ome && Reasons.IMAGE_VOLUME_MOUNT_FAILED.equals(ome.reason())) {
                meters.volumeMountFailed();
            }
            LOG.info(() -> "mount volume " + Quote.of(req.volumeId()) + " image=" + Quote.of(req.image()) + " failed after "
                    + (System.nanoTime() - start) / 1_000_000 + " ms: " + e.getMessage());
            images.auditFailure("mount", who, req.image(), e);
            throw e;
        }
    }

    /** kubelet's spelling of the pull policy that applies, or empty for a reference that does not parse. */
    private static String policyName(MountRequest req) {
        try {
            return switch (VolumeImages.effectivePolicy(req)) {
                case ALWAYS -> "Always";
                case IF_NOT_PRESENT -> "IfNotPresent";
                case NEVER -> "Never";
            };
        } catch (RuntimeException badReference) {
            return "";
        }
    }

    /** " for pod ns/name (uid, service account sa)" when the caller named the pod. */
    private static String pod(VolumeRecord r) {
        if (r.podName().isEmpty()) {
            return "";
        }
        return " for pod " + Quote.of(r.podNamespace() + "/" + r.podName()) + " (uid " + Quote.of(r.podUid())
                + (r.podServiceAccount().isEmpty() ? "" : ", service account " + Quote.of(r.podServiceAccount())) + ")";
    }

    /** The volume an identical earlier request made, or a new one: the image held (pulled by policy) and bound. */
    private VolumeRecord mountOrReuse(MountRequest req, Requester who, Credentials creds, Cancellation cancel) {
        req.validate();
        synchronized (lock) { // an unmount removes the directories it created under this lock
            VolumeRecord existing = existing(req);
            if (existing != null) {
                return existing;
            }
            try {
                targets.check(req.target()); // now too, so a target that can never be used does not cost a pull
            } catch (OciMountException e) {
                throw req.failed(e.kind(), e.getMessage());
            }
        }
        try (ImageHold hold = volumeImages.hold(req, who, creds, cancel)) {
            synchronized (lock) {
                VolumeRecord again = existing(req); // a concurrent identical request won
                return again != null ? again : mountLocked(req, hold.image());
            }
        }
    }

    /** The volume this request repeats, or null when it is new; a request that clashes with one is refused. */
    private VolumeRecord existing(MountRequest req) {
        VolumeRecord r = store.get(req.volumeId());
        if (r != null) {
            if (req.sameMountAs(r)) {
                return r;
            }
            throw req.failed(ErrorKind.ALREADY_EXISTS, "volume id in use for " + Quote.of(r.image()) + " on "
                    + Quote.of(r.target()));
        }
        store.list().stream().filter(v -> v.target().equals(req.target())).findFirst().ifPresent(v -> {
            throw targetTaken(req, v);
        });
        return null;
    }

    private static OciMountException targetTaken(MountRequest req, VolumeRecord holder) {
        return req.failed(ErrorKind.ALREADY_EXISTS, "target " + Quote.of(req.target()) + " already holds volume "
                + Quote.of(holder.id()));
    }

    /**
     * Mounts with the record written first: it names what is about to be created for the target, so a crash at
     * any point leaves nothing that reconcile cannot find and remove.
     */
    private VolumeRecord mountLocked(MountRequest req, ImageRecord image) {
        String key = image.id().hex();
        VolumeRecord record = null;
        MountId bound = null;
        try {
            views.ensure(key, images.viewLayers(image));
            try (SubPathResolver.Opened source = SubPathResolver.open(views.path(key), req.subPath());
                 Targets.Plan target = targets.plan(req.target(), source.directory())) {
                String mountPoint = target.mountPoint().toString();
                store.list().stream().filter(v -> v.mountPoint().equals(mountPoint)).findFirst().ifPresent(v -> {
                    throw targetTaken(req, v); // another spelling of a target in use, or a link to it
                });
                record = new VolumeRecord(req.volumeId(), req.target(), mountPoint, req.image(), image.id(),
                        image.manifest(), req.subPath(), image.chainIds(), key,
                        target.toCreate(), req.podNamespace(), req.podName(), req.podUid(), VolumeRecord.State.PENDING,
                        System.currentTimeMillis(), null, req.podServiceAccount());
                store.put(record);
                target.open();
                bound = mounter.bind(source, target);
            }
            VolumeRecord done = record.mounted(bound);
            store.put(done);
            return done;
        } catch (RuntimeException e) {
            undo(record, bound, key, e);
            throw e instanceof OciMountException ome ? req.failed(ome.kind(), ome.getMessage()) : e;
        }
    }

    /** Takes back what a failed mount did, each step on its own: a failure of one never hides the first error. */
    private void undo(VolumeRecord record, MountId bound, String view, RuntimeException cause) {
        List<Runnable> steps = new ArrayList<>();
        if (bound != null) {
            steps.add(() -> mounter.unmount(bound, Path.of(record.mountPoint())));
        }
        if (record != null) {
            steps.add(() -> targets.remove(record.created()));
            steps.add(() -> store.remove(record.id()));
        }
        steps.add(() -> releaseViewIfUnused(view));
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
                LOG.warning("undo a failed mount: " + e.getMessage());
            }
        }
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
            mounter.unmount(r.mount(), Path.of(r.mountPoint()));
            targets.remove(r.created());
            store.remove(r.id());
            released = releaseViewIfUnused(r.view());
        }
        VolumeRecord gone = r;
        LOG.info(() -> "unmounted volume " + gone.id() + " from " + gone.mountPoint());
        if (released && images.status(r.imageId().toString()).isEmpty()) {
            images.collectGarbage(); // the image was removed while mounted: its files can go now
        }
    }

    public List<VolumeRecord> list() {
        return store.list();
    }

    /**
     * After a restart: drops records whose target is no longer mounted (removing what was created for them: a
     * crash mid-mount leaves a PENDING record naming it), restores missing views of the rest, and takes down
     * views no record uses. It only ever unmounts views under its own state directory.
     */
    public void reconcile() {
        synchronized (lock) {
            for (VolumeRecord r : store.list()) {
                if (!mounter.isMounted(r.mount(), Path.of(r.mountPoint()))) {
                    LOG.info(() -> "dropping volume " + r.id() + ": " + r.mountPoint() + " is not mounted"
                            + (r.created().isEmpty() ? "" : "; removing what was created for it: " + r.created()));
                    targets.remove(r.created());
                    store.remove(r.id());
                } else if (r.state() == VolumeRecord.State.PENDING) {
                    store.put(r.mounted(r.mount())); // the bind happened; its id is not known, its path is
                }
            }
            for (VolumeRecord r : store.list()) {
                List<Path> layers = images.layerPaths(r.chainIds());
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
}
