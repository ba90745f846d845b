package io.ocimount.image;

import io.ocimount.artifact.ArtifactTree;
import io.ocimount.artifact.ArtifactTreeBuilder;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.ChainIds;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.oci.ImageConfig;
import io.ocimount.oci.Index;
import io.ocimount.oci.Manifest;
import io.ocimount.oci.ManifestDocument;
import io.ocimount.oci.ManifestParser;
import io.ocimount.oci.MediaTypes;
import io.ocimount.oci.PlatformMatcher;
import io.ocimount.policy.Decision;
import io.ocimount.policy.PolicyDeniedException;
import io.ocimount.policy.PullSubject;
import io.ocimount.policy.signature.SessionSignatures;
import io.ocimount.policy.Trust;
import io.ocimount.policy.TrustPolicy;
import io.ocimount.ref.Reference;
import io.ocimount.registry.Credentials;
import io.ocimount.registry.FetchedManifest;
import io.ocimount.registry.RegistryClient;
import io.ocimount.registry.RegistrySession;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.LongConsumer;

/**
 * The pull pipeline: resolve → (index → platform) → manifest → trust policy → config → layers in parallel → record.
 * Every blob is verified before it is stored; the image record, written last, is what makes an image exist, so an
 * interrupted pull leaves nothing that looks complete.
 */
public final class Puller {
    private static final int MAX_INDEX_DEPTH = 3;
    private final RegistryClient registry;
    private final ImageStorage store;
    private final PullSettings settings;
    private final ExecutorService executor;
    private final LayerUnpacker unpacker;
    private final ArtifactTreeBuilder artifactTrees;
    private final CredentialHashes credentialHashes;
    private final LongConsumer makeRoom;
    private final TrustPolicy trust;

    /**
     * @param makeRoom told, before the layers are fetched, about how many bytes the pull will write, so that image
     *                 garbage collection can make room first
     * @param trust    decides, once the manifest is hashed, whether the image may be pulled at all
     */
    public Puller(RegistryClient registry, ImageStorage store, PullSettings settings, LayerUnpacker unpacker,
                  ArtifactTreeBuilder artifactTrees, CredentialHashes credentialHashes, ExecutorService executor,
                  LongConsumer makeRoom, TrustPolicy trust) {
        this.registry = registry;
        this.trust = trust;
        this.credentialHashes = credentialHashes;
        this.makeRoom = makeRoom;
        this.store = store;
        this.settings = settings;
        this.unpacker = unpacker;
        this.artifactTrees = artifactTrees;
        this.executor = executor;
    }

    /** What a pull did: the image's record, the digest the reference resolved to now, and why it was let in. */
    record Pulled(ImageRecord record, Digest resolved, Trust trust) {
    }

    Pulled pull(Reference ref, Credentials creds, Cancellation cancel, PullObserver observer) {
        RegistrySession session = registry.session(ref, creds);
        FetchedManifest top = session.resolve(cancel);
        Set<Digest> lease = new LinkedHashSet<>();
        lease.add(top.descriptor().digest());
        store.leases().acquire(lease);
        Set<Digest> held = new LinkedHashSet<>(lease);
        try {
            List<FetchedManifest> chain = new ArrayList<>();
            Manifest manifest = selectManifest(ref, session, top, chain, cancel);
            FetchedManifest manifestBytes = chain.get(chain.size() - 1);
            Decision decision = trust.decide(subject(ref, top, manifestBytes, manifest), new SessionSignatures(session),
                    cancel); // before the config or any layer is asked for: a refusal fetches and stores nothing more
            if (!decision.allowed()) {
                throw new PolicyDeniedException("pull " + ref, decision, null);
            }
            byte[] configBytes = session.smallBlob(manifest.config(), cancel);
            ImageConfig config = manifest.isArtifact() ? null
                    : ImageConfig.parse(configBytes, "config " + manifest.config().digest() + " of " + ref);
            checkLayers(ref, manifest, config);
            List<LayerUnpacker.Layer> layers = plan(manifest, config);
            layers.forEach(l -> observer.layer(l.blob().digest().toString(), l.blob().size()));

            Set<Digest> more = new LinkedHashSet<>();
            chain.forEach(m -> more.add(m.descriptor().digest()));
            more.add(manifest.config().digest());
            Digest tree = manifest.isArtifact() ? ArtifactTree.key(manifestBytes.descriptor().digest()) : null;
            if (tree != null) {
                more.add(tree);
            }
            for (LayerUnpacker.Layer l : layers) {
                more.add(l.blob().digest());
                if (l.chainId() != null) {
                    more.add(l.chainId());
                }
            }
            more.removeAll(held);
            store.leases().acquire(more);
            held.addAll(more);
            makeRoom.accept(incomingBytes(layers)); // after the leases: what this pull reuses is not collected for it
            fetchLayers(ref, session, layers, observer, cancel);
            cancel.check();
            store.snapshots().completeImplicitDirs(layers.stream().map(LayerUnpacker.Layer::chainId).filter(c -> c != null).toList());
            if (tree != null) { // names are checked now, so an artifact that could never mount is never stored
                artifactTrees.ensure("pull \"" + ref + "\"", manifestBytes.descriptor().digest(), manifest);
            }
            ImageRecord stored = store(ref, chain, manifest.config(), configBytes, record(ref, top, manifestBytes, manifest,
                    config, credentialHashes.of(session.credentials()), Map.of(ref.name(), decision.trust())), cancel);
            return new Pulled(stored, top.descriptor().digest(), decision.trust());
        } finally {
            store.leases().release(held);
        }
    }

    /**
     * What the trust policy decides for {@code ref} now, as a pull would: the manifest (and the platform's) and the
     * signatures are fetched, no config and no layer; nothing is stored.
     */
    PolicyCheck evaluate(Reference ref, Credentials creds, Cancellation cancel) {
        RegistrySession session = registry.session(ref, creds);
        FetchedManifest top = session.resolve(cancel);
        List<FetchedManifest> chain = new ArrayList<>();
        Manifest manifest = selectManifest(ref, session, top, chain, cancel);
        return new PolicyCheck(top.descriptor().digest(), trust.decide(subject(ref, top, chain.get(chain.size() - 1),
                manifest), new SessionSignatures(session), cancel));
    }

    /** The last step: the config and manifests into the content store, then the record that makes the image exist. */
    private ImageRecord store(Reference ref, List<FetchedManifest> chain, Descriptor configDesc, byte[] configBytes,
                              ImageRecord record, Cancellation cancel) {
        try {
            store.content().put(configDesc, configBytes);
            for (FetchedManifest m : chain) {
                store.content().put(m.descriptor(), m.raw());
            }
            synchronized (store.records()) {
                cancel.check(); // a caller that gave up gets no image behind its back
                return store.records().add(record);
            }
        } catch (OciMountException e) {
            throw isCancellation(e) ? e : e.prefixed("pull " + ref + ": store");
        }
    }

    private Manifest selectManifest(Reference ref, RegistrySession session, FetchedManifest fetched,
                                    List<FetchedManifest> chain, Cancellation cancel) {
        PlatformMatcher matcher = new PlatformMatcher(settings.platform());
        for (int depth = 0; depth <= MAX_INDEX_DEPTH; depth++) {
            chain.add(fetched);
            String what = "manifest " + fetched.descriptor().digest() + " of " + ref;
            ManifestDocument doc = ManifestParser.parse(fetched.raw(), fetched.contentType(), what);
            if (doc instanceof Manifest m) {
                return m;
            }
            Descriptor pick = matcher.select((Index) doc, ref.toString());
            cancel.check();
            fetched = session.manifest(pick, cancel);
        }
        throw OciMountException.invalid("pull " + ref + ": indexes nested deeper than " + MAX_INDEX_DEPTH);
    }

    private void checkLayers(Reference ref, Manifest manifest, ImageConfig config) {
        if (manifest.layers().size() > settings.maxLayers()) {
            throw new OciMountException(ErrorKind.RESOURCE_EXHAUSTED, "pull " + ref + ": " + manifest.layers().size()
                    + " layers exceed the limit of " + settings.maxLayers());
        }
        if (config == null) {
            return;
        }
        int layers = manifest.filesystemLayers().size();
        if (layers != config.diffIds().size()) {
            throw OciMountException.invalid("pull " + ref + ": mismatched image rootfs and manifest layers: config "
                    + manifest.config().digest() + " lists " + config.diffIds().size() + " diff_ids but the manifest has "
                    + layers + " layers");
        }
    }

    /** Pairs every filesystem layer with its diff_id and chainID; other blobs (and an artifact's) are only stored. */
    private static List<LayerUnpacker.Layer> plan(Manifest manifest, ImageConfig config) {
        List<LayerUnpacker.Layer> out = new ArrayList<>();
        List<Digest> chain = config == null ? List.of() : ChainIds.of(config.diffIds());
        int fs = 0;
        for (Descriptor l : manifest.layers()) {
            if (config != null && MediaTypes.isLayer(l.mediaType())) {
                out.add(new LayerUnpacker.Layer(l, config.diffIds().get(fs), chain.get(fs)));
                fs++;
            } else {
                out.add(new LayerUnpacker.Layer(l, null, null));
            }
        }
        return out;
    }

    /**
     * About what the pull will write: each blob not yet stored, and for each layer not yet unpacked twice its blob
     * (the unpacked copy at a typical 2:1 ratio, as {@link PartialReclaimer} estimates).
     */
    private long incomingBytes(List<LayerUnpacker.Layer> layers) {
        long bytes = 0;
        for (LayerUnpacker.Layer l : layers) {
            if (l.chainId() != null && store.snapshots().exists(l.chainId())) {
                continue; // reused as it is
            }
            if (!store.content().has(l.blob().digest())) {
                bytes = saturatedSum(bytes, l.blob().size());
            }
            if (l.chainId() != null) {
                bytes = saturatedSum(bytes, saturatedSum(l.blob().size(), l.blob().size()));
            }
        }
        return bytes;
    }

    private void fetchLayers(Reference ref, RegistrySession session, List<LayerUnpacker.Layer> layers, PullObserver observer,
                             Cancellation cancel) {
        Cancellation siblings = cancel.child();
        List<CompletableFuture<Boolean>> running = new ArrayList<>();
        for (LayerUnpacker.Layer layer : layers) {
            running.add(CompletableFuture.supplyAsync(() -> {
                try {
                    boolean reused = unpacker.ensure(session, layer, observer, siblings);
                    observer.done(layer.blob().digest().toString(), reused);
                    return reused;
                } catch (OciMountException e) {
                    siblings.cancel(ErrorKind.CANCELLED, "another layer failed");
                    throw e.kind() == ErrorKind.CANCELLED || e.kind() == ErrorKind.DEADLINE_EXCEEDED ? e
                            : e.prefixed("pull " + ref + ": layer " + layer.blob().digest());
                }
            }, executor));
        }
        OciMountException first = null;
        for (CompletableFuture<Boolean> f : running) {
            try {
                f.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof OciMountException ome && (first == null || isCancellation(first))) {
                    first = ome;
                } else if (!(e.getCause() instanceof OciMountException)) {
                    first = new OciMountException(ErrorKind.INTERNAL, "pull " + ref + ": " + e.getCause(), e.getCause());
                }
            }
        }
        cancel.check();
        if (first != null) {
            throw first;
        }
    }

    /** a + b of two sizes of 0 or more, Long.MAX_VALUE when it would overflow. */
    static long saturatedSum(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static boolean isCancellation(OciMountException e) {
        return e.kind() == ErrorKind.CANCELLED || e.kind() == ErrorKind.DEADLINE_EXCEEDED;
    }

    /** What the trust policy decides on: the resolved digest, the manifest to pull, its types and weight. */
    static PullSubject subject(Reference ref, FetchedManifest top, FetchedManifest manifestBytes, Manifest manifest) {
        long total = saturatedSum(manifestBytes.descriptor().size(), manifest.config().size());
        for (Descriptor l : manifest.layers()) {
            total = saturatedSum(total, l.size()); // descriptors are the registry's word: huge sizes must not wrap
        }
        String artifactType = manifest.isArtifact() ? manifest.effectiveArtifactType() : manifest.config().mediaType();
        return new PullSubject(ref, top.descriptor().digest(), manifestBytes.descriptor().digest(), artifactType,
                manifest.layers().stream().map(Descriptor::mediaType).toList(), total,
                manifestBytes.host().isEmpty() ? top.host() : manifestBytes.host());
    }

    private static ImageRecord record(Reference ref, FetchedManifest top, FetchedManifest manifestBytes, Manifest manifest,
                                      ImageConfig config, String pulledWith, Map<String, Trust> trust) {
        List<Digest> blobs = new ArrayList<>();
        blobs.add(top.descriptor().digest());
        if (!manifestBytes.descriptor().digest().equals(top.descriptor().digest())) {
            blobs.add(manifestBytes.descriptor().digest());
        }
        blobs.add(manifest.config().digest());
        long size = saturatedSum(manifestBytes.descriptor().size(), manifest.config().size());
        for (Descriptor l : manifest.layers()) {
            blobs.add(l.digest());
            size = saturatedSum(size, l.size());
        }
        Digest id = manifest.isArtifact() ? manifestBytes.descriptor().digest() : manifest.config().digest();
        List<String> tags = ref.tag() == null ? List.of() : List.of(ref.tagged());
        List<String> digests = List.of(ref.name() + "@" + top.descriptor().digest());
        List<Digest> layerDigests = config == null ? List.of()
                : manifest.filesystemLayers().stream().map(Descriptor::digest).toList();
        List<Digest> diffIds = config == null ? List.of() : config.diffIds();
        String platform = config != null && config.platform() != null ? config.platform().toString() : "";
        long now = System.currentTimeMillis();
        return new ImageRecord(id, top.descriptor().digest(), manifestBytes.descriptor().digest(),
                manifest.config().digest(), manifestBytes.descriptor().mediaType(),
                manifest.isArtifact() ? manifest.effectiveArtifactType() : null, platform, size,
                config == null ? "" : config.user(), tags, digests, List.copyOf(new LinkedHashSet<>(blobs)), layerDigests,
                diffIds, now, now, List.of(pulledWith), trust);
    }
}
