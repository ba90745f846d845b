package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import csi.v1.ControllerGetCapabilitiesRequest;
import csi.v1.ControllerGrpc;
import csi.v1.ControllerServiceCapability;
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteVolumeRequest;
import csi.v1.GetPluginCapabilitiesRequest;
import csi.v1.GetPluginInfoResponse;
import csi.v1.GetPluginInfoRequest;
import csi.v1.IdentityGrpc;
import csi.v1.NodeGetCapabilitiesRequest;
import csi.v1.NodeGetInfoRequest;
import csi.v1.NodeGrpc;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodeUnpublishVolumeRequest;
import csi.v1.ProbeRequest;
import csi.v1.Volume;
import csi.v1.VolumeCapability;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ocimount.cli.DaemonChannel;
import io.ocimount.config.Version;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pluginregistration.v1.InfoRequest;
import pluginregistration.v1.PluginInfo;
import pluginregistration.v1.RegistrationGrpc;
import pluginregistration.v1.RegistrationStatus;

/**
 * The daemon as a CSI node plugin, driven the way kubelet drives it: over its CSI socket with real mounts and a
 * real registry (one open, one behind htpasswd), and kubelet's plugin registration on its own socket.
 */
@Tag("native")
class CsiE2ETest {
    private static final String DRIVER = "image.ocimount.io";
    @TempDir
    Path tmp;
    RealRegistry registry;
    DaemonProcess daemon;
    ManagedChannel csi;
    Path csiSocket;
    Path registrationDir;
    String ref;
    ImageBuilder.Image image = new ImageBuilder()
            .layer(new TarBuilder().dir("javaagent", 0755).file("javaagent/agent.jar", "agent-bytes").dir("etc", 0755)
                    .file("etc/app.conf", "threads=4\n").build()).build();

    @BeforeEach
    void start() throws Exception {
        registry = new RealRegistry(Files.createDirectories(tmp.resolve("reg")), null, null);
        registry.push("otel/javaagent", "2.15.0", image);
        ref = registry.host() + "/otel/javaagent:2.15.0";
        csiSocket = tmp.resolve("plugins/" + DRIVER + "/csi.sock");
        registrationDir = tmp.resolve("plugins_registry");
        Files.writeString(tmp.resolve("config.toml"), "[registry]\ndocker_config = \"" + tmp.resolve("no-docker-config.json")
                + "\"\n[csi]\nsocket = \"" + csiSocket + "\"\nnode_id = \"node-a\"\nregistration_dir = \"" + registrationDir + "\"\n");
        startDaemon();
    }

    private void startDaemon() throws Exception {
        daemon = DaemonProcess.start(tmp);
        csi = DaemonChannel.open(csiSocket);
    }

    private void stopDaemon() throws Exception {
        csi.shutdownNow();
        daemon.terminate();
    }

    @AfterEach
    void stop() throws Exception {
        csi.shutdownNow();
        daemon.close();
        registry.close();
    }

    private NodeGrpc.NodeBlockingStub node() {
        return NodeGrpc.newBlockingStub(csi).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    /** Where kubelet puts a pod's CSI volume; kubelet creates the parent, the plugin the target. */
    private Path target(String podUid, String volume) throws Exception {
        Path parent = tmp.resolve("kubelet/pods/" + podUid + "/volumes/kubernetes.io~csi/" + volume);
        Files.createDirectories(parent);
        return parent.resolve("mount");
    }

    private static NodePublishVolumeRequest.Builder publish(String volumeId, Path target, Map<String, String> attributes) {
        return NodePublishVolumeRequest.newBuilder().setVolumeId(volumeId).setTargetPath(target.toString())
                .setVolumeCapability(VolumeCapability.newBuilder().setMount(VolumeCapability.MountVolume.getDefaultInstance())
                        .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                                .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER)))
                .putAllVolumeContext(attributes);
    }

    /** volumeAttributes plus what kubelet adds with podInfoOnMount. */
    private Map<String, String> podVolume(String podUid, Map<String, String> attributes) {
        Map<String, String> m = new HashMap<>(attributes);
        m.put("csi.storage.k8s.io/pod.namespace", "apps");
        m.put("csi.storage.k8s.io/pod.name", "web-" + podUid);
        m.put("csi.storage.k8s.io/pod.uid", podUid);
        m.put("csi.storage.k8s.io/serviceAccount.name", "agent-sa");
        m.put("csi.storage.k8s.io/ephemeral", "true");
        return m;
    }

    private void unpublish(String volumeId, Path target) {
        node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder().setVolumeId(volumeId)
                .setTargetPath(target.toString()).build());
    }

    private StatusRuntimeException refused(NodePublishVolumeRequest.Builder req, Status.Code code, String... named) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> node().nodePublishVolume(req.build()));
        assertEquals(code, e.getStatus().getCode(), e.getStatus().getDescription());
        for (String n : named) {
            assertTrue(e.getStatus().getDescription().contains(n), e.getStatus().getDescription());
        }
        return e;
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void identityAndRegistrationAnswerAsKubeletAndCsiSanityExpect() throws Exception {
        IdentityGrpc.IdentityBlockingStub identity = IdentityGrpc.newBlockingStub(csi);
        GetPluginInfoResponse info = identity.getPluginInfo(GetPluginInfoRequest.getDefaultInstance());
        assertEquals(DRIVER, info.getName());
        assertEquals(Version.VERSION, info.getVendorVersion());
        assertEquals(0, identity.getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance()).getCapabilitiesCount(),
                "no controller service is advertised");
        assertTrue(identity.probe(ProbeRequest.getDefaultInstance()).getReady().getValue(), "the store is usable");
        assertEquals("node-a", node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId());
        assertEquals(0, node().nodeGetCapabilities(NodeGetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesCount(),
                "no staging, stats or expansion");

        Path regSocket = registrationDir.resolve(DRIVER + "-reg.sock");
        assertEquals("rw-------", mode(csiSocket));
        assertEquals("rw-------", mode(regSocket));
        ManagedChannel reg = DaemonChannel.open(regSocket);
        try {
            PluginInfo plugin = RegistrationGrpc.newBlockingStub(reg).getInfo(InfoRequest.getDefaultInstance());
            assertEquals(PluginInfo.newBuilder().setType("CSIPlugin").setName(DRIVER).setEndpoint(csiSocket.toString())
                    .addSupportedVersions("1.0.0").build(), plugin);
            RegistrationGrpc.newBlockingStub(reg).notifyRegistrationStatus(RegistrationStatus.newBuilder()
                    .setPluginRegistered(true).build());
            assertTrue(daemon.log().contains("kubelet registered CSI driver " + DRIVER), daemon.log());
        } finally {
            reg.shutdownNow();
        }
    }

    @Test
    void publishRepeatUnpublishRepeatLikeKubeletRetries() throws Exception {
        Path target = target("uid-1", "agent");
        NodePublishVolumeRequest.Builder req = publish("csi-1", target, podVolume("uid-1",
                Map.of("image", ref, "subPath", "javaagent", "pullPolicy", "IfNotPresent"))).setReadonly(false);
        node().nodePublishVolume(req.build());
        assertEquals("agent-bytes", Files.readString(target.resolve("agent.jar")));
        assertFalse(Files.exists(target.resolve("app.conf")), "only the sub path is visible");
        FileSystemException write = assertThrows(FileSystemException.class, () -> Files.writeString(target.resolve("x"), "x"));
        assertTrue(write instanceof AccessDeniedException || String.valueOf(write.getReason()).contains("Read-only"),
                "read-only although kubelet said readonly=false: " + write);
        assertTrue(daemon.log().contains("service account \"agent-sa\""), "the pod is in the log: " + daemon.log());

        node().nodePublishVolume(req.build()); // kubelet's retry: a success that changes nothing
        assertEquals(1, daemon.volumes().listVolumes(io.ocimount.api.v1.ListVolumesRequest.getDefaultInstance())
                .getVolumesCount());

        unpublish("csi-1", target);
        assertFalse(Files.exists(target), "the target the plugin created is gone");
        assertTrue(Files.isDirectory(target.getParent()), "kubelet's parent stays");
        unpublish("csi-1", target); // again: nothing to do, still a success
        unpublish("csi-never-published", target);
    }

    @Test
    void twoPodsOnOneImageShareOneViewAndOneUnpublishLeavesTheOther() throws Exception {
        Path a = target("uid-a", "agent");
        Path b = target("uid-b", "agent");
        node().nodePublishVolume(publish("csi-a", a, podVolume("uid-a", Map.of("image", ref))).build());
        node().nodePublishVolume(publish("csi-b", b, podVolume("uid-b", Map.of("image", ref, "subPath", "etc"))).build());
        assertEquals("agent-bytes", Files.readString(a.resolve("javaagent/agent.jar")));
        assertEquals("threads=4\n", Files.readString(b.resolve("app.conf")));
        try (var views = Files.list(tmp.resolve("run/views"))) {
            assertEquals(1, views.count(), "one read-only view of the image, bound twice");
        }
        unpublish("csi-a", a);
        assertEquals("threads=4\n", Files.readString(b.resolve("app.conf")), "the other pod still sees its volume");
        unpublish("csi-b", b);
    }

    @Test
    void aPrivateImageIsPulledWithTheVolumesSecretOnly() throws Exception {
        try (RealRegistry locked = new RealRegistry(Files.createDirectories(tmp.resolve("reg-auth")), "kube", "s3cret")) {
            locked.push("team/private", "v1", image);
            String privateRef = locked.host() + "/team/private:v1";
            Path target = target("uid-p", "private");
            StatusRuntimeException anonymous = refused(publish("csi-p", target, podVolume("uid-p", Map.of("image", privateRef))),
                    Status.Code.UNKNOWN, privateRef);
            assertTrue(anonymous.getStatus().getDescription().contains("(401)"), anonymous.getStatus().getDescription());
            String auth = Base64.getEncoder().encodeToString("kube:s3cret".getBytes(StandardCharsets.UTF_8));
            node().nodePublishVolume(publish("csi-p", target, podVolume("uid-p", Map.of("image", privateRef)))
                    .putSecrets(".dockerconfigjson", "{\"auths\":{\"" + locked.host() + "\":{\"auth\":\"" + auth + "\"}}}").build());
            assertEquals("threads=4\n", Files.readString(target.resolve("etc/app.conf")));
            // another pod without the secret does not borrow the image now on the node (KEP-2535)
            StatusRuntimeException borrowed = refused(publish("csi-q", target("uid-q", "private"),
                    podVolume("uid-q", Map.of("image", privateRef, "pullPolicy", "IfNotPresent"))), Status.Code.PERMISSION_DENIED,
                    privateRef, "credentials were not accepted");
            assertTrue(borrowed.getStatus().getDescription().contains("(401)"), borrowed.getStatus().getDescription());
            unpublish("csi-p", target);
            assertFalse(daemon.log().contains("s3cret") || daemon.log().contains(auth), "no secret in the log");
            try (var files = Files.walk(tmp)) {
                assertEquals(List.of(), files.filter(f -> !f.startsWith(tmp.resolve("reg")) && !f.startsWith(tmp.resolve("reg-auth")))
                        .filter(f -> Files.isRegularFile(f) && read(f).contains("s3cret")).toList(),
                        "no secret in the store, the state directory or the log");
            }
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void everyErrorOfTheTable() throws Exception {
        Path target = target("uid-e", "bad");
        refused(publish("", target, Map.of("image", ref)), Status.Code.INVALID_ARGUMENT, "volume_id");
        refused(publish("csi-e", target, Map.of("image", ref)).clearTargetPath(), Status.Code.INVALID_ARGUMENT, "target_path");
        refused(publish("csi-e", target, Map.of("image", ref)).clearVolumeCapability(), Status.Code.INVALID_ARGUMENT,
                "volume_capability");
        refused(publish("csi-e", target, Map.of()), Status.Code.INVALID_ARGUMENT, "\"image\" is missing");
        refused(publish("csi-e", target, Map.of("image", ref, "pullPolicy", "Sometimes")), Status.Code.INVALID_ARGUMENT,
                "pullPolicy");
        refused(publish("csi-e", target, Map.of("image", ref, "subPath", "no/such/dir")), Status.Code.NOT_FOUND,
                "sub path \"no/such/dir\" does not exist", ref);
        refused(publish("csi-e", target, Map.of("image", registry.host() + "/otel/absent:1", "pullPolicy", "Never")),
                Status.Code.FAILED_PRECONDITION, "otel/absent:1", "Never");
        refused(publish("csi-e", target, Map.of("image", registry.host() + "/otel/absent:1")), Status.Code.UNKNOWN,
                registry.host() + "/otel/absent:1");
        refused(publish("csi-e", target, Map.of("image", ref, "subPath", "../etc")), Status.Code.INVALID_ARGUMENT,
                "sub path \"../etc\"");
        refused(publish("csi-e", target, Map.of("image", ref, "subpath", "etc")), Status.Code.INVALID_ARGUMENT,
                "\"subpath\" is not known");
        refused(publish("csi-e", target, Map.of("image", ref)).setVolumeCapability(VolumeCapability.newBuilder()
                .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())), Status.Code.INVALID_ARGUMENT, "block");
        refused(publish("csi-e", target, Map.of("image", ref)).putSecrets("password", "s3cret"), Status.Code.INVALID_ARGUMENT,
                "kubernetes.io/dockerconfigjson");
        assertFalse(Files.exists(target), "no failed publish leaves its target behind");

        node().nodePublishVolume(publish("csi-taken", target, Map.of("image", ref)).build());
        refused(publish("csi-other", target, Map.of("image", ref)), Status.Code.ALREADY_EXISTS, "already holds volume");
        refused(publish("csi-taken", target("uid-e", "elsewhere"), Map.of("image", ref)), Status.Code.ALREADY_EXISTS,
                "volume id in use");
        unpublish("csi-taken", target);
        StatusRuntimeException noId = assertThrows(StatusRuntimeException.class, () -> node().nodeUnpublishVolume(
                NodeUnpublishVolumeRequest.newBuilder().setTargetPath(target.toString()).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noId.getStatus().getCode());
        StatusRuntimeException noTarget = assertThrows(StatusRuntimeException.class, () -> node().nodeUnpublishVolume(
                NodeUnpublishVolumeRequest.newBuilder().setVolumeId("csi-e").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noTarget.getStatus().getCode());
    }

    /** csi-sanity's "should remove target path", the one Node test that runs for this plugin and needs a volume. */
    @Test
    void csiSanitysNodeSequenceWithItsControllerCalls() throws Exception {
        ControllerGrpc.ControllerBlockingStub controller = ControllerGrpc.newBlockingStub(csi);
        List<ControllerServiceCapability> caps = controller.controllerGetCapabilities(
                ControllerGetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList();
        assertFalse(caps.isEmpty(), "csi-sanity's Node setup needs a non-empty list");
        assertTrue(caps.stream().noneMatch(c -> c.getRpc().getType() == ControllerServiceCapability.RPC.Type.UNKNOWN));

        CreateVolumeRequest create = CreateVolumeRequest.newBuilder().setName("sanity-node-unpublish-volume-1")
                .addVolumeCapabilities(publish("x", tmp, Map.of()).getVolumeCapability()).putParameters("image", ref).build();
        Volume volume = controller.createVolume(create).getVolume();
        assertEquals(volume, controller.createVolume(create).getVolume(), "the same name is the same volume");
        Path mountDir = Files.createDirectories(tmp.resolve("csi-mount")); // csi-sanity makes this; the plugin the target
        Path target = mountDir.resolve("target");
        node().nodePublishVolume(publish(volume.getVolumeId(), target, volume.getVolumeContextMap()).build());
        assertTrue(Files.isDirectory(target));
        unpublish(volume.getVolumeId(), target);
        assertFalse(Files.exists(target), "csi-sanity: the target path is removed");
        unpublish(volume.getVolumeId(), target); // its cleanup unpublishes again
        controller.deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId()).build());

        StatusRuntimeException noName = assertThrows(StatusRuntimeException.class,
                () -> controller.createVolume(create.toBuilder().clearName().build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noName.getStatus().getCode());
    }

    @Test
    void aRestartKeepsPublishedVolumesAndAPublishDuringItSucceedsOnKubeletsRetry() throws Exception {
        Path kept = target("uid-r", "kept");
        node().nodePublishVolume(publish("csi-kept", kept, podVolume("uid-r", Map.of("image", ref))).build());
        stopDaemon();
        assertEquals("threads=4\n", Files.readString(kept.resolve("etc/app.conf")), "mounted while the daemon is down");

        Path during = target("uid-d", "during");
        ManagedChannel dialedNow = DaemonChannel.open(csiSocket); // as kubelet dials: a new connection to the socket
        try {
            StatusRuntimeException down = assertThrows(StatusRuntimeException.class, () -> NodeGrpc.newBlockingStub(dialedNow)
                    .withDeadlineAfter(20, TimeUnit.SECONDS).nodePublishVolume(publish("csi-during", during, Map.of("image", ref)).build()));
            assertEquals(Status.Code.UNAVAILABLE, down.getStatus().getCode(), down.getStatus().toString());
            assertFalse(String.valueOf(down.getStatus().getDescription()).contains("shutdown"), "the daemon, not our channel");
        } finally {
            dialedNow.shutdownNow();
        }
        assertFalse(Files.exists(csiSocket), "a stopped daemon leaves no socket to dial");
        startDaemon();
        node().nodePublishVolume(publish("csi-during", during, Map.of("image", ref)).build());
        assertEquals("threads=4\n", Files.readString(during.resolve("etc/app.conf")));
        assertEquals("threads=4\n", Files.readString(kept.resolve("etc/app.conf")), "reconcile kept the first volume");

        for (Object[] v : List.of(new Object[] {"csi-kept", kept}, new Object[] {"csi-during", during})) {
            unpublish((String) v[0], (Path) v[1]);
            assertFalse(Files.exists((Path) v[1]), "unpublished after the restart: " + v[1]);
        }
    }
}
