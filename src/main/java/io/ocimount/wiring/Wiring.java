package io.ocimount.wiring;

import io.ocimount.artifact.ArtifactTreeBuilder;
import io.ocimount.content.LocalContentStore;
import io.ocimount.image.BlobDownloader;
import io.ocimount.image.CredentialHashes;
import io.ocimount.image.DiskSpace;
import io.ocimount.image.GarbageCollector;
import io.ocimount.image.GcPolicy;
import io.ocimount.image.ImageReclaimer;
import io.ocimount.image.ImageService;
import io.ocimount.image.ImageStorage;
import io.ocimount.image.ImageStore;
import io.ocimount.image.LayerUnpacker;
import io.ocimount.image.Leases;
import io.ocimount.image.PartialReclaimer;
import io.ocimount.image.PullAccess;
import io.ocimount.image.PullSettings;
import io.ocimount.image.Puller;
import io.ocimount.image.StoreUsage;
import io.ocimount.metrics.Meters;
import io.ocimount.mount.Mounter;
import io.ocimount.policy.audit.AuditLog;
import io.ocimount.policy.audit.AuditSettings;
import io.ocimount.policy.PolicySettings;
import io.ocimount.policy.TrustPolicy;
import io.ocimount.registry.Authorizer;
import io.ocimount.registry.BlobFetcher;
import io.ocimount.registry.CredentialChain;
import io.ocimount.registry.CredentialHelpers;
import io.ocimount.registry.CredentialProviderConfig;
import io.ocimount.registry.CredentialProviderPlugin;
import io.ocimount.registry.CredentialSettings;
import io.ocimount.registry.CredentialSource;
import io.ocimount.registry.DockerConfigCredentials;
import io.ocimount.registry.KubeletCredentialProviders;
import io.ocimount.registry.HostsConfig;
import io.ocimount.registry.HttpClients;
import io.ocimount.registry.ManifestFetcher;
import io.ocimount.registry.RegistryClient;
import io.ocimount.registry.RegistrySettings;
import io.ocimount.registry.RegistryTransport;
import io.ocimount.registry.TokenFetcher;
import io.ocimount.snapshot.OverlaySnapshotter;
import io.ocimount.unpack.LayerApplier;
import io.ocimount.volume.TargetRules;
import io.ocimount.volume.Targets;
import io.ocimount.volume.Views;
import io.ocimount.volume.VolumeImages;
import io.ocimount.volume.VolumeService;
import io.ocimount.volume.VolumeStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The composition root: every part of the registry client and of the image and volume services is built here and
 * handed to what uses it, so the parts plug into each other through constructors that say what they need. The
 * daemon, the CLI's push and the tests build the same way.
 */
public final class Wiring {
    private Wiring() {
    }

    /**
     * The registry client: one HTTP stack and token cache for every pull, and the credential chain. The kubelet
     * credential provider config is read now, so a bad one stops the daemon at start.
     */
    public static RegistryClient registry(RegistrySettings settings) {
        HttpClients clients = new HttpClients(settings.idleConnectionTimeout());
        Authorizer authorizer = new Authorizer(new TokenFetcher(clients.forHost(HostsConfig.defaultHost("token"))));
        RegistryTransport transport = new RegistryTransport(clients, authorizer, settings.maxAttempts(),
                settings.baseBackoff(), settings.requestTimeout());
        return new RegistryClient(new HostsConfig(settings.hostsDir()), credentials(settings), transport, new ManifestFetcher(transport, settings.maxManifestBytes()), new BlobFetcher(transport),
                settings.maxConfigBytes());
    }

    /** The caller's credentials, then kubelet credential provider plugins, then docker config.json (see CredentialChain). */
    static CredentialChain credentials(RegistrySettings settings) {
        CredentialSettings c = settings.credentials();
        List<CredentialSource> sources = new ArrayList<>();
        if (c.pluginsEnabled()) {
            List<CredentialProviderPlugin> plugins = new ArrayList<>();
            for (CredentialProviderConfig.Provider p : CredentialProviderConfig.read(c.providerConfig(), c.providerBinDir())) {
                plugins.add(new CredentialProviderPlugin(p, c.execTimeout(), Clock.systemUTC()));
            }
            sources.add(new KubeletCredentialProviders(plugins));
        }
        CredentialHelpers helpers = new CredentialHelpers(c.helperPath() != null ? c.helperPath()
                : CredentialHelpers.systemPath(), c.execTimeout());
        sources.add(new DockerConfigCredentials(settings.dockerConfig(), helpers));
        return new CredentialChain(sources);
    }

    /**
     * The image service over the store under {@code root}, its images collected by {@code gc}, its pulls decided by
     * the trust policy of {@code policy} and recorded in the audit file of {@code audit}; partial downloads too old to
     * resume are deleted now. A policy.json that cannot be honoured stops here, naming its file and field.
     */
    public static ImageService images(Path root, RegistryClient registry, PullSettings settings, GcPolicy gc,
                                      Meters meters, PolicySettings policy, AuditSettings audit) {
        TrustPolicy trust = TrustPolicy.of(policy);
        ImageStorage store = new ImageStorage(root, new LocalContentStore(root), new OverlaySnapshotter(root),
                new ImageStore(root), new Leases());
        ExecutorService pullThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ocimount-pull");
            t.setDaemon(true);
            return t;
        });
        LayerApplier applier = new LayerApplier(settings.layerLimits());
        DiskSpace disk = DiskSpace.of(root);
        PartialReclaimer partials = new PartialReclaimer(store.content(), store.leases(), settings.partialMaxAge(),
                disk::available, Clock.systemUTC());
        ArtifactTreeBuilder artifactTrees = new ArtifactTreeBuilder(store.content(), store.snapshots(), applier);
        BlobDownloader downloader = new BlobDownloader(store.content(), partials::ensureRoom, settings.stallTimeout(), meters);
        LayerUnpacker unpacker = new LayerUnpacker(store.content(), store.snapshots(), applier, downloader, pullThreads,
                settings.maxConcurrentDownloads(), meters, partials::ensureRoom);
        StoreUsage usage = new StoreUsage(root);
        GarbageCollector collector = new GarbageCollector(store, partials, usage);
        ImageReclaimer reclaimer = new ImageReclaimer(store, collector, gc, disk, Clock.systemUTC(), meters);
        CredentialHashes credentialHashes = new CredentialHashes(root);
        Puller puller = new Puller(registry, store, settings, unpacker, artifactTrees, credentialHashes, pullThreads,
                reclaimer::ensureRoom, trust);
        PullAccess access = new PullAccess(registry, store.records(), credentialHashes, settings.credentialVerification());
        partials.expired(); // left by pulls before a restart, too old to be worth resuming
        return new ImageService(store, puller, artifactTrees, collector, reclaimer, usage, access, pullThreads, meters,
                trust, new AuditLog(audit));
    }

    /**
     * The volume service with its records and views under {@code stateDir}; targets may be neither in nor over the
     * image store or the state directory, and the layers of every recorded volume stay pinned in the store.
     */
    public static VolumeService volumes(ImageService images, Mounter mounter, Path stateDir, Meters meters) {
        VolumeStore records = new VolumeStore(stateDir);
        images.pinWith(records::chainIdsInUse, records::imageIdsInUse);
        Targets targets = new Targets(new TargetRules(List.of(images.root(), stateDir)));
        return new VolumeService(images, new VolumeImages(images), mounter, records, new Views(stateDir, mounter), targets,
                meters);
    }
}
