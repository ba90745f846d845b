package io.ocimount.image;

import io.ocimount.artifact.ArtifactTreeBuilder;
import io.ocimount.content.ContentStore;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Manifest;
import io.ocimount.oci.ManifestDocument;
import io.ocimount.oci.ManifestParser;
import io.ocimount.unpack.LayerApplier;
import java.io.IOException;
import java.io.InputStream;
import io.ocimount.content.LocalContentStore;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.metrics.Meters;
import io.ocimount.oci.Digest;
import io.ocimount.ref.Reference;
import io.ocimount.registry.Credentials;
import io.ocimount.registry.RegistryClient;
import io.ocimount.snapshot.OverlaySnapshotter;
import io.ocimount.snapshot.Snapshotter;
import io.ocimount.sys.IoErrors;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.function.Supplier;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

/** The image façade the adapters call: pull, status, list, remove, and the store's disk usage. */
public final class ImageService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ImageService.class.getName());
    private final Path root;
    private final ContentStore content;
    private final Snapshotter snapshots;
    private final ImageStore images;
    private final Leases leases = new Leases();
    private final Object recordLock = new Object();
    private final ExecutorService executor;
    private final Puller puller;
    private final ArtifactTreeBuilder artifactTrees;
    private final StoreUsage usage;
    private final PartialReclaimer partials;
    private final Meters meters;
    private volatile Supplier<Set<String>> pinned = Set::of;

    public ImageService(Path root, RegistryClient registry, PullSettings settings) {
        this(root, registry, settings, Meters.NONE);
    }

    public ImageService(Path root, RegistryClient registry, PullSettings settings, Meters meters) {
        this.meters = meters;
        this.root = root;
        this.content = new LocalContentStore(root);
        this.snapshots = new OverlaySnapshotter(root);
        this.images = new ImageStore(root);
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ocimount-pull");
            t.setDaemon(true);
            return t;
        });
        this.artifactTrees = new ArtifactTreeBuilder(content, snapshots, new LayerApplier(settings.layerLimits()));
        this.partials = new PartialReclaimer(content, leases, settings.partialMaxAge(),
                () -> PartialReclaimer.usableSpace(root), Clock.systemUTC());
        this.puller = new Puller(registry, content, snapshots, images, leases, recordLock, settings, executor, meters,
                artifactTrees, partials);
        this.usage = new StoreUsage(root);
        partials.expired(); // left by pulls before a restart, too old to be worth resuming
    }

    public Path root() {
        return root;
    }

    public ImageRecord pull(String reference, Credentials creds, Cancellation cancel) {
        return pull(reference, creds, cancel, PullObserver.NONE);
    }

    /** Pulls, telling {@code observer} how each layer goes. */
    public ImageRecord pull(String reference, Credentials creds, Cancellation cancel, PullObserver observer) {
        Reference ref = Reference.parse(reference);
        long start = System.nanoTime();
        try {
            ImageRecord r = puller.pull(ref, creds, cancel, observer);
            meters.pull("ok", (System.nanoTime() - start) / 1e9);
            LOG.info(() -> "pulled " + ref + " id=" + r.id() + " digest=" + r.target() + " size=" + r.size()
                    + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            return r;
        } catch (RuntimeException e) {
            meters.pull("error", (System.nanoTime() - start) / 1e9);
            LOG.info(() -> "pull " + ref + " failed after " + (System.nanoTime() - start) / 1_000_000 + " ms: " + e.getMessage());
            if (e instanceof OciMountException ome && ome.kind() == ErrorKind.RESOURCE_EXHAUSTED && IoErrors.isDiskFull(e)) {
                // the disk is full: what no image holds goes, partial downloads first, so the next pull has room
                partials.all("a pull failed on a full disk");
                collectGarbage();
            }
            throw e;
        } finally {
            usage.invalidate();
        }
    }

    public Optional<ImageRecord> status(String query) {
        return ImageLookup.find(images.list(), query);
    }

    /**
     * Holds {@code image} for a mount if it still exists: what it is made of stays on disk until the hold is
     * closed. Empty when RemoveImage took it since it was found, so the caller can look again (or pull).
     */
    public Optional<ImageHold> hold(ImageRecord image) {
        synchronized (recordLock) { // garbage collection runs under this lock too: nothing goes between
            Optional<ImageRecord> now = images.get(image.id());
            if (now.isEmpty()) {
                return Optional.empty();
            }
            Set<String> held = new HashSet<>(now.get().blobs());
            now.get().chainIds().forEach(c -> held.add(c.toString()));
            leases.acquire(held);
            return Optional.of(new ImageHold(now.get(), held, leases));
        }
    }

    /** All images, or those the filter names: an exact reference or id, or every tag of a repository. */
    public List<ImageRecord> list(String filter) {
        List<ImageRecord> all = images.list();
        if (filter == null || filter.isBlank()) {
            return all;
        }
        Optional<ImageRecord> exact = ImageLookup.find(all, filter);
        if (exact.isPresent() || hasTagOrDigest(filter)) {
            return exact.map(List::of).orElse(List.of());
        }
        String repo;
        try {
            repo = Reference.parse(filter).name();
        } catch (RuntimeException notAName) {
            return List.of();
        }
        return all.stream().filter(r -> r.repoTags().stream().anyMatch(t -> t.startsWith(repo + ":"))
                || r.repoDigests().stream().anyMatch(d -> d.startsWith(repo + "@"))).toList();
    }

    private static boolean hasTagOrDigest(String filter) {
        int slash = filter.lastIndexOf('/');
        return filter.contains("@") || filter.indexOf(':', slash + 1) >= 0 || Digest.isDigest(filter);
    }

    /** Removes the image the query names, with all its names, and the blobs nothing else holds. Idempotent. */
    public void remove(String query) {
        synchronized (recordLock) {
            Optional<ImageRecord> found = status(query);
            if (found.isEmpty()) {
                return;
            }
            images.remove(found.get().id());
            collectGarbageLocked();
            LOG.info(() -> "removed " + found.get().id() + " " + found.get().repoTags());
        }
        partials.expired();
        usage.invalidate();
    }

    /**
     * Tells garbage collection what else holds snapshots (chainIDs): mounted volumes, whose image may have lost
     * its names to RemoveImage while its files must stay readable.
     */
    public void pinWith(Supplier<Set<String>> pins) {
        this.pinned = pins;
    }

    /** The snapshot directories of a stack of layers, bottom first, finished (see Snapshotter.settle). */
    public List<Path> layerPaths(List<Digest> chainIds) {
        snapshots.settle(chainIds);
        return chainIds.stream().map(snapshots::path).toList();
    }

    /**
     * The directories a read-only view of {@code image} stacks, bottom first. An artifact's tree is rebuilt from
     * the stored blobs when it is missing (a record from before artifact volumes existed).
     */
    public List<Path> viewLayers(ImageRecord image) {
        if (!image.isArtifact()) {
            return layerPaths(image.chainIds());
        }
        Digest manifestDigest = Digest.parse(image.manifest());
        Set<String> lease = Set.of(image.chainIds().get(0).toString());
        leases.acquire(lease);
        try (InputStream in = content.open(manifestDigest)) {
            String what = "manifest " + manifestDigest + " of " + image.id();
            ManifestDocument doc = ManifestParser.parse(in.readAllBytes(), image.mediaType(), what);
            if (!(doc instanceof Manifest m)) {
                throw OciMountException.invalid(what + ": not an image manifest");
            }
            String name = image.repoTags().isEmpty() ? image.id() : image.repoTags().get(0);
            return List.of(artifactTrees.ensure("mount \"" + name + "\"", manifestDigest, m));
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "read manifest " + manifestDigest + ": " + e.getMessage(), e);
        } finally {
            leases.release(lease);
        }
    }

    /**
     * Deletes what nothing holds any more, and partial downloads too old to resume; called after RemoveImage, after
     * the last volume of an image goes, and from time to time.
     */
    public void collectGarbage() {
        synchronized (recordLock) {
            collectGarbageLocked();
        }
        partials.expired();
        usage.invalidate();
    }

    /**
     * Deletes the snapshots and blobs that no image record, no running pull and no mounted volume holds. Leases
     * are frozen while it decides, so neither a pull nor a mount can start to use a blob or a snapshot between the
     * check and the delete; the snapshots' trees are deleted after that, once pulls may go on.
     */
    private void collectGarbageLocked() {
        leases.frozen(() -> {
            Set<String> referenced = new HashSet<>(images.referencedBlobs());
            referenced.addAll(pinned.get()); // read in here: a volume recorded a moment ago has let go of its hold
            for (ImageRecord r : images.list()) {
                r.chainIds().forEach(c -> referenced.add(c.toString()));
            }
            for (Digest c : snapshots.list()) {
                if (!referenced.contains(c.toString()) && !leases.isHeld(c.toString())) {
                    snapshots.detach(c);
                }
            }
            for (Digest d : content.list()) {
                if (!referenced.contains(d.toString()) && !leases.isHeld(d.toString())) {
                    content.delete(d);
                }
            }
        });
        snapshots.purgeDetached();
    }

    /** Deletes the partial downloads too old to be worth resuming; the daemon calls this from time to time. */
    public void reclaimExpiredPartials() {
        if (partials.expired() > 0) {
            usage.invalidate();
        }
    }

    public StoreUsage.Usage usage() {
        return usage.get();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
