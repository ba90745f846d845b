package io.ocimount.image;

import io.ocimount.artifact.ArtifactTreeBuilder;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.metrics.Meters;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Manifest;
import io.ocimount.oci.ManifestDocument;
import io.ocimount.oci.ManifestParser;
import io.ocimount.errdefs.Quote;
import io.ocimount.oci.Descriptor;
import io.ocimount.policy.audit.AuditLog;
import io.ocimount.policy.audit.AuditFilter;
import io.ocimount.policy.audit.AuditRecord;
import io.ocimount.policy.Decision;
import io.ocimount.policy.PolicyDeniedException;
import io.ocimount.policy.PullSubject;
import io.ocimount.policy.audit.Requester;
import io.ocimount.policy.Trust;
import io.ocimount.policy.TrustPolicy;
import io.ocimount.ref.Reference;
import io.ocimount.registry.Credentials;
import io.ocimount.sys.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The image façade the adapters call: pull, status, list, remove, and the store's disk usage. It is handed what
 * it uses (the daemon's composition root builds it); closing it stops the pulls' threads.
 */
public final class ImageService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ImageService.class.getName());
    private final ImageStorage store;
    private final Puller puller;
    private final ArtifactTreeBuilder artifactTrees;
    private final GarbageCollector gc;
    private final ImageReclaimer reclaimer;
    private final StoreUsage usage;
    private final ExecutorService pullThreads;
    private final Meters meters;
    private final PullAccess access;
    private final TrustPolicy trust;
    private final AuditLog audit;
    private final TagHistory tags;

    public ImageService(ImageStorage store, Puller puller, ArtifactTreeBuilder artifactTrees, GarbageCollector gc,
                        ImageReclaimer reclaimer, StoreUsage usage, PullAccess access, ExecutorService pullThreads,
                        Meters meters, TrustPolicy trust, AuditLog audit) {
        this.store = store;
        this.trust = trust;
        this.audit = audit;
        this.tags = new TagHistory(store.root());
        this.access = access;
        this.puller = puller;
        this.artifactTrees = artifactTrees;
        this.gc = gc;
        this.reclaimer = reclaimer;
        this.usage = usage;
        this.pullThreads = pullThreads;
        this.meters = meters;
    }

    public Path root() {
        return store.root();
    }

    public ImageRecord pull(String reference, Requester who, Credentials creds, Cancellation cancel) {
        return pull(reference, who, creds, cancel, PullObserver.NONE);
    }

    /**
     * Pulls, telling {@code observer} how each layer goes. Every pull, allowed, refused by the policy or failed, leaves
     * one audit record naming {@code who} asked.
     */
    public ImageRecord pull(String reference, Requester who, Credentials creds, Cancellation cancel, PullObserver observer) {
        long start = System.nanoTime();
        try {
            Reference ref = Reference.parse(reference);
            Puller.Pulled pulled = puller.pull(ref, creds, cancel, observer);
            ImageRecord r = pulled.record();
            reclaimer.used(r.id());
            meters.pull("ok", (System.nanoTime() - start) / 1e9);
            LOG.info(() -> "pulled " + ref + " id=" + r.id() + " digest=" + pulled.resolved() + " size=" + r.size()
                    + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            Digest movedFrom = ref.tag() == null ? null : tags.resolved(ref.tagged(), pulled.resolved()).orElse(null);
            if (movedFrom != null) {
                meters.tagMoved();
                LOG.warning(() -> "tag " + ref + " moved from " + movedFrom + " to " + pulled.resolved()
                        + " since it was last pulled");
            }
            audit.append(AuditRecord.of(Instant.now(), "pull", who, ref.toString(), "allowed", pulled.resolved().toString(),
                    r.id().toString(), pulled.trust(), null, movedFrom == null ? null : movedFrom.toString()));
            return r;
        } catch (RuntimeException e) {
            meters.pull("error", (System.nanoTime() - start) / 1e9);
            LOG.info(() -> "pull " + Quote.of(reference) + " failed after " + (System.nanoTime() - start) / 1_000_000 + " ms: "
                    + e.getMessage());
            if (e instanceof OciMountException ome && ome.kind() == ErrorKind.RESOURCE_EXHAUSTED && IoErrors.isDiskFull(e)) {
                gc.afterDiskFull();
            }
            if (e instanceof PolicyDeniedException denied) {
                meters.policyDenied(denied.decision().refusal());
            }
            auditFailure("pull", who, reference, e);
            throw e;
        } finally {
            usage.invalidate();
        }
    }

    /** What the trust policy decides for {@code reference} now, pulling nothing (ocimount policy check). */
    public PolicyCheck checkPolicy(String reference, Credentials creds, Cancellation cancel) {
        return puller.evaluate(Reference.parse(reference), creds, cancel);
    }

    /** The audit records since {@code since} (null: all) about {@code image} (empty: every image), oldest first. */
    public List<AuditRecord> auditRecords(Instant since, String image) {
        return audit.read(since, r -> image == null || image.isEmpty() || AuditFilter.matches(r, image));
    }

    /** The audit record of a pull or mount that did not happen: denied by the policy, or failed. */
    public void auditFailure(String event, Requester who, String reference, RuntimeException e) {
        PolicyDeniedException denied = e instanceof PolicyDeniedException p ? p : null;
        audit.append(AuditRecord.of(Instant.now(), event, who, reference, denied != null ? "denied" : "failed",
                denied == null ? null : denied.decision().resolved().toString(),
                denied == null || denied.imageId() == null ? null : denied.imageId().toString(),
                denied == null ? null : denied.decision().trust(), e.getMessage(), null));
    }

    /** The audit record of a mount that was made, with what let the image in under the name it was mounted by. */
    public void auditMount(Requester who, String reference, ImageRecord image) {
        Trust t = names(image).stream().filter(n -> n.name().equals(mountedName(reference))).findFirst()
                .map(n -> image.trust().get(n.name())).orElse(image.trust().values().stream().findFirst().orElse(null));
        audit.append(AuditRecord.of(Instant.now(), "mount", who, reference, "allowed",
                (t != null && t.resolved() != null ? t.resolved() : image.target()).toString(), image.id().toString(), t,
                null, null));
    }

    /**
     * Throws {@link PolicyDeniedException} when the trust policy of now refuses a mount of {@code image}, which is
     * already stored, by {@code query}: ocimount's own rules and the scope's requirements, a signature requirement met
     * by what the image's pull under that repository verified (no registry is asked). A query that names none of the
     * image's repositories (an image id or its prefix) is decided for each name the image has, and one that is
     * allowed suffices: it could have been mounted by that name.
     */
    public void checkPolicy(ImageRecord image, String query) {
        String asked = mountedName(query);
        List<Reference> names = names(image);
        List<Reference> candidates = names.stream().anyMatch(n -> n.name().equals(asked))
                ? List.of(Reference.parse(query)) : names;
        if (candidates.isEmpty()) {
            throw new PolicyDeniedException("mount " + Quote.of(query), new Decision(false, image.target(), null, "reject",
                    "image " + image.id() + " has no name its policy scope could be found by"), image.id());
        }
        Manifest m = storedManifest(image);
        String artifactType = m.isArtifact() ? m.effectiveArtifactType() : m.config().mediaType();
        Decision first = null;
        for (Reference ref : candidates) {
            Trust pulled = image.trust().get(ref.name());
            PullSubject subject = new PullSubject(ref, pulled != null && pulled.resolved() != null ? pulled.resolved()
                    : image.target(), image.manifest(), artifactType, m.layers().stream().map(Descriptor::mediaType).toList(),
                    image.size(), pulled == null ? null : pulled.host());
            Decision d = trust.decideStored(subject, pulled);
            if (d.allowed()) {
                return;
            }
            first = first != null ? first : d;
        }
        meters.policyDenied(first.refusal());
        throw new PolicyDeniedException("mount " + candidates.get(0), first, image.id());
    }

    /** The image's names (tags and digest references) as references; names that no longer parse are skipped. */
    private static List<Reference> names(ImageRecord image) {
        List<Reference> out = new java.util.ArrayList<>();
        for (String n : image.repoTags()) {
            parsed(n).ifPresent(out::add);
        }
        for (String n : image.repoDigests()) {
            parsed(n).ifPresent(out::add);
        }
        return out;
    }

    /** The repository a mount's image query names, or "" for an image id, an id prefix or nothing parseable. */
    private static String mountedName(String query) {
        return Digest.isDigest(query) ? "" : parsed(query).map(Reference::name).orElse("");
    }

    private static Optional<Reference> parsed(String text) {
        try {
            return Optional.of(Reference.parse(text));
        } catch (RuntimeException notAReference) {
            return Optional.empty();
        }
    }

    public Optional<ImageRecord> status(String query) {
        return ImageLookup.find(store.records().list(), query);
    }

    /**
     * Returns when the caller may use {@code image}, which is already in the store, under the credentials it brought
     * (KEP-2535: an image pulled with credentials is not given to a caller whose credentials its registry refuses);
     * throws PERMISSION_DENIED naming the image otherwise.
     */
    public void checkAccess(ImageRecord image, String reference, Credentials creds, Cancellation cancel) {
        access.check(image, reference, creds, cancel);
    }

    /**
     * Holds {@code image} for a mount if it still exists: what it is made of stays on disk until the hold is
     * closed. Empty when RemoveImage took it since it was found, so the caller can look again (or pull).
     */
    public Optional<ImageHold> hold(ImageRecord image) {
        synchronized (store.records()) { // garbage collection runs under this lock too: nothing goes between
            Optional<ImageRecord> now = store.records().get(image.id());
            if (now.isEmpty()) {
                return Optional.empty();
            }
            Set<Digest> held = new HashSet<>(now.get().blobs());
            held.addAll(now.get().chainIds());
            store.leases().acquire(held);
            reclaimer.used(now.get().id());
            return Optional.of(new ImageHold(now.get(), held, store.leases()));
        }
    }

    /** All images, or those the filter names: an exact reference or id, or every tag of a repository. */
    public List<ImageRecord> list(String filter) {
        List<ImageRecord> all = store.records().list();
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
        gc.collect(() -> status(query).ifPresent(found -> {
            store.records().remove(found.id());
            LOG.info(() -> "removed " + found.id() + " " + found.repoTags());
        }));
    }

    /**
     * Tells garbage collection what mounted volumes use: their snapshots (chainIDs), which stay readable even when
     * RemoveImage took the image's names, and their images' ids, which image garbage collection never removes.
     */
    public void pinWith(Supplier<Set<Digest>> chainIds, Supplier<Set<Digest>> imageIds) {
        gc.pinWith(chainIds);
        reclaimer.inUseBy(imageIds);
    }

    /** Whether config {@code gc.pinned} names the image: garbage collection never removes it (CRI Image.pinned). */
    public boolean isPinned(ImageRecord image) {
        return reclaimer.isPinned(image);
    }

    /**
     * Image garbage collection's periodic pass: unused images over {@code gc.max_age_seconds}, then the least
     * recently used ones while the store's file system is over {@code gc.high_percent}.
     */
    public List<ImageReclaimer.Removal> collectImages() {
        return reclaimer.collect();
    }

    /** The snapshot directories of a stack of layers, bottom first, finished (see Snapshotter.completeImplicitDirs). */
    public List<Path> layerPaths(List<Digest> chainIds) {
        store.snapshots().completeImplicitDirs(chainIds);
        return chainIds.stream().map(store.snapshots()::path).toList();
    }

    /**
     * The directories a read-only view of {@code image} stacks, bottom first. An artifact's tree is rebuilt from
     * the stored blobs when it is missing (a record from before artifact volumes existed).
     */
    public List<Path> viewLayers(ImageRecord image) {
        if (!image.isArtifact()) {
            return layerPaths(image.chainIds());
        }
        String name = image.repoTags().isEmpty() ? image.id().toString() : image.repoTags().get(0);
        Set<Digest> lease = Set.of(image.chainIds().get(0));
        store.leases().acquire(lease);
        try {
            return List.of(artifactTrees.ensure("mount \"" + name + "\"", image.manifest(), storedManifest(image)));
        } finally {
            store.leases().release(lease);
        }
    }

    /** The image's manifest as stored, read under a lease so garbage collection cannot take it meanwhile. */
    private Manifest storedManifest(ImageRecord image) {
        Digest manifestDigest = image.manifest();
        Set<Digest> lease = Set.of(manifestDigest);
        store.leases().acquire(lease);
        try (InputStream in = store.content().open(manifestDigest)) {
            String what = "manifest " + manifestDigest + " of " + image.id();
            ManifestDocument doc = ManifestParser.parse(in.readAllBytes(), image.mediaType(), what);
            if (!(doc instanceof Manifest m)) {
                throw OciMountException.invalid(what + ": not an image manifest");
            }
            return m;
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "read manifest " + manifestDigest + ": " + e.getMessage(), e);
        } finally {
            store.leases().release(lease);
        }
    }

    /**
     * Deletes what nothing holds any more, and partial downloads too old to resume; called after RemoveImage, after
     * the last volume of an image goes, and from time to time.
     */
    public void collectGarbage() {
        gc.collect();
    }

    /** Deletes the partial downloads too old to be worth resuming; the daemon calls this from time to time. */
    public void reclaimExpiredPartials() {
        gc.reclaimExpiredPartials();
    }

    public StoreUsage.Usage usage() {
        return usage.get();
    }

    @Override
    public void close() {
        pullThreads.shutdownNow();
    }
}
