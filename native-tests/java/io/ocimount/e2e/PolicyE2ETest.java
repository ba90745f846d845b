package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import csi.v1.NodeGrpc;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodeUnpublishVolumeRequest;
import csi.v1.VolumeCapability;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ocimount.api.v1.MountVolumeRequest;
import io.ocimount.api.v1.UnmountVolumeRequest;
import io.ocimount.cli.DaemonChannel;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Json;
import io.ocimount.policy.signature.TrustedKey;
import io.ocimount.testkit.CosignSigner;
import io.ocimount.testkit.ImageBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.Mount;
import runtime.v1.PodSandboxConfig;
import runtime.v1.PodSandboxMetadata;
import runtime.v1.PullImageRequest;
import tools.jackson.databind.JsonNode;

/**
 * The trust policy through every entry point of a running daemon, against the real docker-registry: cosign
 * signatures pushed the way cosign pushes them, a containers-policy.json and config.toml rules. Every refusal is
 * decided before the image's config or any layer is asked for, which the registry's own access log shows.
 */
@Tag("native")
class PolicyE2ETest {
    @TempDir
    static Path tmp;
    static RealRegistry registry;
    static DaemonProcess daemon;
    static ManagedChannel csi;
    static KeyPair trusted;
    static final Map<String, ImageBuilder.Image> IMAGES = new HashMap<>();

    /** Pushes {@code repo:1}, a small image of its own, and returns it. */
    private static ImageBuilder.Image push(String repo, String content) throws Exception {
        ImageBuilder.Image image = new ImageBuilder().layer(Map.of("data/file.txt", content)).build();
        registry.push(repo, "1", image);
        IMAGES.put(repo, image);
        return image;
    }

    /** Pushes what cosign pushes for {@code signature}: its payload blob and the sha256-<hex>.sig manifest. */
    private static void pushSignature(String repo, CosignSigner.SimpleSignature signature) throws Exception {
        ImageBuilder.Image sig = signature.signatureImage();
        registry.push(repo, signature.tag(), sig);
    }

    private static String ref(String repo) {
        return registry.host() + "/" + repo + ":1";
    }

    @BeforeAll
    static void start() throws Exception {
        registry = new RealRegistry(Files.createDirectories(tmp.resolve("reg")), null, null);
        trusted = CosignSigner.newKeys("ec");
        CosignSigner signer = new CosignSigner(trusted);
        CosignSigner stranger = new CosignSigner(CosignSigner.newKeys("ec"));
        String host = registry.host();

        Digest good = push("signed/app", "good").manifest().digest();
        pushSignature("signed/app", signer.signSimple(host + "/signed/app", good));
        Digest wrongKey = push("signed/wrongkey", "k").manifest().digest();
        pushSignature("signed/wrongkey", stranger.signSimple(host + "/signed/wrongkey", wrongKey));
        Digest edited = push("signed/edited", "e").manifest().digest();
        pushSignature("signed/edited", signer.simpleSigning(host + "/signed/edited", edited)
                .editAfterSigning(CosignSigner.simpleSigningPayload(host + "/signed/edited", edited,
                        "cosign container image signature ")).build());
        Digest other = push("signed/otherdigest", "o").manifest().digest();
        pushSignature("signed/otherdigest", signer.simpleSigning(host + "/signed/otherdigest", other)
                .namedDigest(Digest.ofString("another image")).build());
        Digest identity = push("signed/identity", "i").manifest().digest();
        pushSignature("signed/identity", signer.simpleSigning(host + "/signed/identity", identity)
                .identity(host + "/signed/app").build());
        push("signed/unsigned", "u");
        push("rejected/app", "r");
        push("pinned/app", "p");
        push("open/app", "first");

        Path keyFile = tmp.resolve("cosign.pub");
        Files.writeString(keyFile, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(trusted.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Path policy = tmp.resolve("policy.json");
        Files.writeString(policy, """
                {"default": [{"type": "reject"}],
                 "transports": {"docker": {
                   "HOST/signed": [{"type": "sigstoreSigned", "keyPath": "KEY",
                                     "signedIdentity": {"type": "matchRepository"}}],
                   "HOST/open": [{"type": "insecureAcceptAnything"}],
                   "HOST/pinned": [{"type": "insecureAcceptAnything"}]}}}
                """.replace("HOST", host).replace("KEY", keyFile.toString()));
        Path d = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(d.resolve("config.toml"), "metrics_address = \"127.0.0.1:0\"\n"
                + "[registry]\ndocker_config = \"" + tmp.resolve("no-docker-config.json") + "\"\n"
                + "[policy]\njson_path = \"" + policy + "\"\n"
                + "[[policy.rules]]\nscope = \"" + host + "/pinned\"\nrequire_digest = true\n"
                + "[csi]\nsocket = \"" + tmp.resolve("csi/csi.sock") + "\"\nnode_id = \"node-a\"\nregistration_dir = \""
                + tmp.resolve("plugins_registry") + "\"\n"
                + "[audit]\npath = \"" + tmp.resolve("audit/audit.jsonl") + "\"\n");
        daemon = DaemonProcess.start(d);
        csi = DaemonChannel.open(tmp.resolve("csi/csi.sock"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (csi != null) {
            csi.shutdownNow();
        }
        if (daemon != null) {
            daemon.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static ImageServiceGrpc.ImageServiceBlockingStub cri() {
        return ImageServiceGrpc.newBlockingStub(daemon.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static void pull(String ref) {
        cri().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build());
    }

    private static List<JsonNode> audit() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve("audit/audit.jsonl"))) {
            out.add(Json.parse(line.getBytes(StandardCharsets.UTF_8), "audit line"));
        }
        return out;
    }

    private static JsonNode lastAudit(String event, String reference) throws Exception {
        List<JsonNode> all = audit();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).get("event").stringValue().equals(event) && all.get(i).get("reference").stringValue().equals(reference)) {
                return all.get(i);
            }
        }
        throw new AssertionError("no " + event + " record of " + reference + " in " + all);
    }

    private static String text(JsonNode n, String field) {
        return n.get(field) == null ? "" : n.get(field).stringValue();
    }

    /** The registry answered no request for the image's config or any of its layers. */
    private static void nothingFetched(String repo) throws Exception {
        ImageBuilder.Image image = IMAGES.get(repo);
        List<String> asked = registry.requests();
        List<String> blobs = new ArrayList<>();
        blobs.add(image.config().digest().toString());
        image.layers().forEach(l -> blobs.add(l.digest().toString()));
        for (String request : asked) {
            for (String b : blobs) {
                assertFalse(request.contains(b), repo + ": " + request + " was asked for");
            }
        }
        assertTrue(asked.stream().anyMatch(r -> r.contains("/" + repo + "/manifests/")), "the manifest was: " + asked);
    }

    private static String refused(String repo, String... named) throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull(ref(repo)));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode(), e.getStatus().getDescription());
        String why = e.getStatus().getDescription();
        assertTrue(why.startsWith("SignatureValidationFailed"), why);
        for (String n : named) {
            assertTrue(why.contains(n), repo + ": " + why);
        }
        nothingFetched(repo);
        JsonNode a = lastAudit("pull", ref(repo));
        assertEquals("denied", text(a, "decision"), a.toString());
        assertEquals("CRI", text(a, "caller"));
        assertTrue(text(a, "reason").contains(named[0]), a.toString());
        return why;
    }

    @Test
    void aSignedImageIsPulledAndMountedThroughEveryEntryPointAndAudited() throws Exception {
        String fingerprint = TrustedKey.fingerprintOf(trusted.getPublic());
        cri().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref("signed/app")))
                .setSandboxConfig(PodSandboxConfig.newBuilder().setMetadata(PodSandboxMetadata.newBuilder()
                        .setNamespace("apps").setName("web-0").setUid("uid-9"))).build());
        JsonNode pulled = lastAudit("pull", ref("signed/app"));
        assertEquals("apps/web-0/uid-9", text(pulled, "pod_namespace") + "/" + text(pulled, "pod_name") + "/"
                + text(pulled, "pod_uid"), "kubelet's sandbox config names the pod");
        assertEquals("allowed", text(pulled, "decision"));
        assertEquals(fingerprint, text(pulled, "signature_key"));
        assertEquals("cosign-simplesigning", text(pulled, "signature_format"));
        assertEquals(registry.host() + "/signed", text(pulled, "policy_scope"));
        assertEquals(registry.host(), text(pulled, "registry_host"));
        assertEquals(IMAGES.get("signed/app").manifest().digest().toString(), text(pulled, "manifest_digest"));

        Path target = tmp.resolve("targets/app");
        daemon.volumes().mountVolume(MountVolumeRequest.newBuilder().setVolumeId("v-app").setTargetPath(target.toString())
                .setMount(Mount.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref("signed/app")))
                        .setReadonly(true)).build());
        assertEquals("good", Files.readString(target.resolve("data/file.txt")));
        JsonNode mounted = lastAudit("mount", ref("signed/app"));
        assertEquals("allowed", text(mounted, "decision"));
        assertEquals("CLI", text(mounted, "caller"));
        assertEquals("v-app", text(mounted, "volume_id"));
        assertEquals(target.toString(), text(mounted, "target"));
        assertEquals(fingerprint, text(mounted, "signature_key"));
        daemon.volumes().unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId("v-app").build());

        String[] check = cli("policy", "check", ref("signed/app"));
        assertEquals("0", check[0], check[2]);
        assertTrue(check[1].startsWith("allowed: " + ref("signed/app")) && check[1].contains(fingerprint), check[1]);

        String[] listed = cli("-o", "json", "audit", "--image", registry.host() + "/signed/app");
        assertEquals("0", listed[0], listed[2]);
        assertTrue(listed[1].lines().count() >= 2 && listed[1].lines().allMatch(l -> l.contains("signed/app")), listed[1]);
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() throws Exception {
        refused("signed/wrongkey", "signature does not verify");
    }

    @Test
    void aPayloadEditedAfterSigningIsRefused() throws Exception {
        refused("signed/edited", "signature does not verify");
    }

    @Test
    void aSignatureOverAnotherDigestIsRefused() throws Exception {
        refused("signed/otherdigest", "payload names " + Digest.ofString("another image"));
    }

    @Test
    void aSignatureNamingAnotherRepositoryIsRefused() throws Exception {
        refused("signed/identity", "identity " + registry.host() + "/signed/app is not accepted by matchRepository");
    }

    @Test
    void anUnsignedImageIsRefusedThroughCriCliVolumesAndCsi() throws Exception {
        refused("signed/unsigned", "no cosign signature or sigstore bundle found");

        String[] check = cli("policy", "check", ref("signed/unsigned"));
        assertEquals("4", check[0], check[1] + check[2]);
        assertTrue(check[1].startsWith("refused: ") && check[1].contains("reason (unsigned)"), check[1]);
        String[] pulled = cli("pull", ref("signed/unsigned"));
        assertEquals("4", pulled[0], pulled[2]);
        assertTrue(pulled[2].contains("no cosign signature"), pulled[2]);
        assertEquals("CLI", text(lastAudit("pull", ref("signed/unsigned")), "caller"));

        StatusRuntimeException viaVolumes = assertThrows(StatusRuntimeException.class, () -> daemon.volumes()
                .mountVolume(MountVolumeRequest.newBuilder().setVolumeId("v-unsigned")
                        .setTargetPath(tmp.resolve("targets/unsigned").toString()).setMount(Mount.newBuilder()
                                .setImage(ImageSpec.newBuilder().setImage(ref("signed/unsigned"))).setReadonly(true)).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, viaVolumes.getStatus().getCode());
        JsonNode mount = lastAudit("mount", ref("signed/unsigned"));
        assertEquals("denied", text(mount, "decision"));
        assertEquals("v-unsigned", text(mount, "volume_id"));

        Path csiTarget = Files.createDirectories(tmp.resolve("kubelet/pods/uid-1/volumes/kubernetes.io~csi/v")).resolve("mount");
        StatusRuntimeException viaCsi = assertThrows(StatusRuntimeException.class, () -> NodeGrpc.newBlockingStub(csi)
                .withDeadlineAfter(60, TimeUnit.SECONDS).nodePublishVolume(NodePublishVolumeRequest.newBuilder()
                        .setVolumeId("csi-unsigned").setTargetPath(csiTarget.toString()).setReadonly(true)
                        .setVolumeCapability(VolumeCapability.newBuilder()
                                .setMount(VolumeCapability.MountVolume.getDefaultInstance())
                                .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                                        .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_READER_ONLY)))
                        .putVolumeContext("image", ref("signed/unsigned"))
                        .putVolumeContext("csi.storage.k8s.io/pod.namespace", "apps")
                        .putVolumeContext("csi.storage.k8s.io/pod.name", "web")
                        .putVolumeContext("csi.storage.k8s.io/pod.uid", "uid-1")
                        .putVolumeContext("csi.storage.k8s.io/serviceAccount.name", "agent-sa")
                        .putVolumeContext("csi.storage.k8s.io/ephemeral", "true").build()));
        assertTrue(viaCsi.getStatus().getDescription().contains("no cosign signature"), viaCsi.getStatus().getDescription());
        JsonNode published = lastAudit("mount", ref("signed/unsigned"));
        assertEquals("CSI", text(published, "caller"));
        assertEquals("apps", text(published, "pod_namespace"));
        assertEquals("web", text(published, "pod_name"));
        assertEquals("uid-1", text(published, "pod_uid"));
        assertEquals("agent-sa", text(published, "pod_service_account"));
        assertFalse(Files.exists(csiTarget), "nothing was created at the target");
        nothingFetched("signed/unsigned");

        Matcher port = Pattern.compile("metrics on http://127.0.0.1:(\\d+)/metrics").matcher(daemon.log());
        assertTrue(port.find(), daemon.log());
        String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + port.group(1) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher denied = Pattern.compile("(?m)^ocimount_policy_denied_total\\{reason=\"unsigned\"} ([0-9.]+)$").matcher(scrape);
        assertTrue(denied.find() && Double.parseDouble(denied.group(1)) >= 4, scrape);
    }

    @Test
    void aScopeThatRejectsRefusesEverything() throws Exception {
        refused("rejected/app", "policy scope \"default\" rejects every image");
    }

    @Test
    void aTagWhereTheRuleRequiresADigestIsRefusedAndTheDigestAccepted() throws Exception {
        refused("pinned/app", "requires a digest");
        pull(registry.host() + "/pinned/app@" + IMAGES.get("pinned/app").manifest().digest());
    }

    @Test
    void aTagThatMovedIsReportedInTheLogTheAuditAndTheMetrics() throws Exception {
        Digest first = IMAGES.get("open/app").manifest().digest();
        pull(ref("open/app"));
        ImageBuilder.Image second = push("open/app", "second");
        pull(ref("open/app"));
        JsonNode moved = lastAudit("pull", ref("open/app"));
        assertEquals(first.toString(), text(moved, "tag_moved_from"), moved.toString());
        assertEquals(second.manifest().digest().toString(), text(moved, "manifest_digest"));
        assertTrue(daemon.log().contains("tag " + ref("open/app") + " moved from " + first + " to "
                + second.manifest().digest()), daemon.log());
        Matcher port = Pattern.compile("metrics on http://127.0.0.1:(\\d+)/metrics").matcher(daemon.log());
        assertTrue(port.find());
        String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + port.group(1) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(scrape.contains("ocimount_image_tag_moved_total 1.0"), scrape);
    }

    @Test
    void aPolicyWithARequirementOcimountDoesNotImplementStopsTheDaemonAtStart() throws Exception {
        Path d = Files.createDirectories(tmp.resolve("unsupported"));
        Path policy = d.resolve("policy.json");
        Files.writeString(policy, "{\"default\": [{\"type\": \"signedBy\", \"keyType\": \"GPGKeys\", \"keyPath\": \"/k.gpg\"}]}");
        Files.writeString(d.resolve("config.toml"), "[policy]\njson_path = \"" + policy + "\"\n");
        AssertionError e = assertThrows(AssertionError.class, () -> DaemonProcess.start(d));
        assertTrue(e.getMessage().contains("exited"), e.getMessage());
        assertTrue(e.getMessage().contains(policy.toString()) && e.getMessage().contains("signedBy"), e.getMessage());
    }

    private static String[] cli(String... args) {
        return InProcessCli.run(DaemonProcess.socket(tmp.resolve("d")), args);
    }
}
