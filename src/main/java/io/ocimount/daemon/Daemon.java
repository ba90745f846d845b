package io.ocimount.daemon;

import io.ocimount.config.CsiSettings;
import io.ocimount.config.DaemonConfig;
import io.ocimount.config.Version;
import io.ocimount.api.GrpcAudit;
import io.ocimount.api.GrpcImages;
import io.ocimount.api.GrpcPolicy;
import io.ocimount.api.GrpcVolumeService;
import io.ocimount.cri.CriImageService;
import io.ocimount.cri.CriRuntimeService;
import io.ocimount.csi.CsiController;
import io.ocimount.csi.CsiIdentity;
import io.ocimount.csi.CsiNode;
import io.ocimount.csi.PluginRegistration;
import io.ocimount.image.ImageService;
import io.ocimount.metrics.Meters;
import io.ocimount.metrics.PrometheusMeters;
import io.ocimount.mount.JnrMounter;
import io.ocimount.volume.VolumeService;
import io.ocimount.wiring.Wiring;
import io.ocimount.registry.RegistrySettings;
import io.ocimount.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** Explicit wiring of the daemon's parts, and its life: start, serve, stop on SIGTERM. */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Daemon.class.getName());
    /** How often image garbage collection looks at the disk and the images' ages (pulls look before they write). */
    private static final long GC_PERIOD_SECONDS = 60;
    private ImageService images;
    private VolumeService volumes;
    private PrometheusMeters meters;
    private SocketServer server;
    private final List<SocketServer> csiServers = new ArrayList<>();
    private final SdNotify systemd = SdNotify.fromEnvironment();
    private final List<DirectoryLock> locks = new ArrayList<>();
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ocimount-housekeeping");
        t.setDaemon(true);
        return t;
    });

    public Daemon(DaemonConfig config) throws IOException {
        createPrivateDir(config.root(), "root");
        createPrivateDir(config.stateDir(), "state directory");
        // before anything reads or cleans the store: a second daemon must not touch the first one's work
        locks.add(DirectoryLock.acquire(config.root(), "root"));
        try {
            if (!config.stateDir().toRealPath().equals(config.root().toRealPath())) {
                locks.add(DirectoryLock.acquire(config.stateDir(), "state directory"));
            }
            start(config);
        } catch (IOException | RuntimeException e) {
            stopServing(); // a CSI socket that could not be served, say, stops the start with nothing left open
            locks.forEach(DirectoryLock::close);
            throw e;
        }
    }

    /**
     * Stops what runs, whichever parts got started: the registration socket before the CSI socket (kubelet drops the
     * driver before its endpoint goes), then the CRI socket, the store, the metrics and the systemd notifier.
     */
    private void stopServing() {
        housekeeping.shutdownNow();
        for (int i = csiServers.size() - 1; i >= 0; i--) {
            csiServers.get(i).stop();
        }
        if (server != null) {
            server.stop();
        }
        if (images != null) {
            images.close();
        }
        if (meters != null) {
            meters.close();
        }
        systemd.close();
    }

    private void start(DaemonConfig config) throws IOException {
        RegistrySettings registrySettings = config.registrySettings();
        meters = config.metricsAddress() == null ? null : new PrometheusMeters();
        Meters counted = meters != null ? meters : Meters.NONE;
        images = Wiring.images(config.root(), Wiring.registry(registrySettings), config.pullSettings(), config.gc(), counted,
                config.policy(), config.audit());
        volumes = Wiring.volumes(images, new JnrMounter(), config.stateDir(), counted);
        volumes.reconcile();
        long sweep = Math.max(10, Math.min(config.partialMaxAgeSeconds() / 4, 600));
        housekeeping.scheduleWithFixedDelay(this::reclaimPartials, sweep, sweep, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(this::collectImages, 0, GC_PERIOD_SECONDS, TimeUnit.SECONDS);
        server = new SocketServer(config.socket(), List.of(new CriImageService(images),
                new CriRuntimeService(Version.VERSION), new InfoService(config), new GrpcVolumeService(volumes),
                new GrpcImages(images), new GrpcPolicy(images), new GrpcAudit(images)));
        if (meters != null) {
            String a = config.metricsAddress();
            meters.gauges(() -> images.usage().bytes(), () -> volumes.list().size());
            meters.serve(a.substring(0, a.lastIndexOf(':')).replace("[", "").replace("]", ""),
                    Integer.parseInt(a.substring(a.lastIndexOf(':') + 1)));
            LOG.info("metrics on http://" + a.substring(0, a.lastIndexOf(':')) + ":" + meters.port() + "/metrics");
        }
        if (config.csi().enabled()) {
            serveCsi(config.csi(), config.root());
        }
        LOG.info("serving on " + config.socket() + " root=" + config.root() + " platform=" + config.platform()
                + " version=" + Version.VERSION);
        systemd.ready("serving on " + config.socket());
    }

    /**
     * The CSI node plugin on its own socket, and kubelet's plugin registration beside kubelet's other plugins, so
     * kubelet finds the driver without a node-driver-registrar sidecar.
     */
    private void serveCsi(CsiSettings csi, Path root) throws IOException {
        csiServers.add(new SocketServer(csi.socket(), List.of(
                new CsiIdentity(csi.driverName(), Version.VERSION, () -> Files.isDirectory(root) && Files.isWritable(root)),
                new CsiController(), new CsiNode(volumes, csi.nodeId()))));
        csiServers.add(new SocketServer(csi.registrationSocket(),
                List.of(new PluginRegistration(csi.driverName(), csi.socket().toString()))));
        LOG.info("CSI driver " + csi.driverName() + " (node " + csi.nodeId() + ") on " + csi.socket() + ", registration on "
                + csi.registrationSocket());
    }

    private void reclaimPartials() {
        try {
            images.reclaimExpiredPartials();
        } catch (RuntimeException e) {
            LOG.warning("reclaim partial downloads: " + e.getMessage());
        }
    }

    private void collectImages() {
        try {
            images.collectImages();
        } catch (RuntimeException e) {
            LOG.warning("image garbage collection: " + e.getMessage());
        }
    }

    /**
     * The root and the state directory are the daemon's alone, as the unit's StateDirectoryMode and
     * RuntimeDirectoryMode (0700) make them on every start: an existing one with group bits or read and search bits
     * for others, such as a DaemonSet's hostPath that kubelet created 0755, is tightened. One that chmod cannot make
     * the daemon's own stops the start, untouched: another uid's (it could open it up again), a sticky one (/tmp
     * given by mistake: 0700 would break the host), one writable by everyone (others may have put files or links
     * in it already).
     *
     * <p>The path is resolved once and the real directory is read and changed without following links, so the
     * checks and the chmod are about one directory. A symlinked root (a store moved to a bigger disk) is accepted:
     * the directory it leads to is checked and tightened, and the messages name both.
     */
    private static void createPrivateDir(Path dir, String what) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return;
        }
        Path real = dir.toRealPath();
        String name = what + " " + real + (real.equals(dir.toAbsolutePath().normalize()) ? ""
                : " (the symlink " + dir + " leads there)");
        int uid = (Integer) Files.getAttribute(real, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(real, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        String has = name + " has owner uid " + uid + " and mode " + octal(mode);
        int self = Syscalls.euid();
        if (uid != self) {
            throw new IOException(has + ", not the daemon's uid " + self + "; refusing to start");
        }
        if ((mode & 01000) != 0) {
            throw new IOException(has + ": sticky, a directory shared by all users such as /tmp; refusing to start");
        }
        if ((mode & 0002) != 0) {
            throw new IOException(has + ": writable by everyone, so others may have put files in it; refusing to start");
        }
        int tightened = mode & ~077;
        if (tightened != mode) {
            Files.setAttribute(real, "unix:mode", tightened, LinkOption.NOFOLLOW_LINKS);
            LOG.warning(name + " was " + octal(mode) + ", now " + octal(tightened) + ": group and others had access");
        }
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        systemd.stopping();
        stopServing();
        locks.forEach(DirectoryLock::close);
        LOG.info("stopped");
    }
}
