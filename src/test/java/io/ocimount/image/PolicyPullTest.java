package io.ocimount.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.oci.Digest;
import io.ocimount.policy.audit.AuditRecord;
import io.ocimount.policy.ImageRule;
import io.ocimount.policy.PolicyDeniedException;
import io.ocimount.policy.PolicySettings;
import io.ocimount.policy.audit.Requester;
import io.ocimount.policy.Trust;
import io.ocimount.policy.signature.TrustedKey;
import io.ocimount.policy.VerifiedSignature;
import io.ocimount.registry.Credentials;
import io.ocimount.registry.CredentialSettings;
import io.ocimount.registry.RegistrySettings;
import io.ocimount.testkit.CosignSigner;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TestImages;
import io.ocimount.wiring.Wiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust policy in the pull pipeline over the in-process registry, which has the OCI 1.1 referrers API that
 * docker-registry lacks: cosign v3 bundles, signatures of a multi-arch index, a hosts.toml mirror, and mounts of a
 * stored image under a policy that changed since its pull.
 */
class PolicyPullTest {
    @TempDir
    Path tmp;
    FakeRegistry registry;
    KeyPair keys = CosignSigner.newKeys("ed25519");
    CosignSigner signer;
    final ImageBuilder.Image image = new ImageBuilder().layer(Map.of("model/weights.bin", "w")).build();
    final List<ImageService> opened = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        registry = new FakeRegistry("127.0.0.1");
        signer = new CosignSigner(keys);
    }

    @AfterEach
    void stop() {
        opened.forEach(ImageService::close);
        registry.close();
    }

    private Path keyFile(KeyPair k, String name) throws Exception {
        return Files.writeString(tmp.resolve(name), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(k.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
    }

    /** A policy.json: the registry's "team" namespace needs a signature by {@code key}, everything else is accepted. */
    private PolicySettings signedBy(Path key, List<ImageRule> rules) throws Exception {
        Path policy = Files.writeString(tmp.resolve("policy-" + key.getFileName() + ".json"), """
                {"default": [{"type": "insecureAcceptAnything"}],
                 "transports": {"docker": {"HOST/team": [{"type": "sigstoreSigned", "keyPath": "KEY",
                   "signedIdentity": {"type": "matchRepository"}}]}}}
                """.replace("HOST", registry.host()).replace("KEY", key.toString()));
        return new PolicySettings(policy, rules);
    }

    private ImageService images(Path root, PolicySettings policy) {
        ImageService s = TestImages.create(root, TestImages.registry(), TestImages.amd64(), policy);
        opened.add(s);
        return s;
    }

    private List<String> blobRequests(ImageBuilder.Image img) {
        List<String> out = new ArrayList<>();
        for (String r : registry.requests) {
            if (r.contains(img.config().digest().toString())
                    || img.layers().stream().anyMatch(l -> r.contains(l.digest().toString()))) {
                out.add(r);
            }
        }
        return out;
    }

    private VerifiedSignature signature(ImageRecord r, String repo) {
        return r.trust().get(registry.host() + "/" + repo).signatures().get(0);
    }

    private static List<String> auditLines(Path root) throws Exception {
        return Files.readAllLines(TestImages.auditFile(root));
    }

    @Test
    void aCosignV3BundleFoundThroughTheReferrersApiLetsThePullIn() throws Exception {
        registry.addImage("team/model", "v1", image);
        registry.addImage("team/model", null, signer.signBundle(image.manifest()).referrer());
        Path root = tmp.resolve("root");
        ImageRecord r = images(root, signedBy(keyFile(keys, "k.pem"), List.of()))
                .pull(registry.host() + "/team/model:v1", Requester.CRI, Credentials.NONE, Cancellation.none());
        Trust t = r.trust().get(registry.host() + "/team/model");
        assertEquals(List.of(new VerifiedSignature("sigstore-bundle", TrustedKey.fingerprintOf(keys.getPublic()),
                image.manifest().digest(), registry.host() + "/team/model")), t.signatures());
        assertEquals(registry.host() + "/team", t.scope());
        assertTrue(registry.requests.contains("GET /v2/team/model/referrers/" + image.manifest().digest()), registry.requests.toString());
        String line = auditLines(root).get(0);
        assertTrue(line.contains("\"event\":\"pull\"") && line.contains("\"decision\":\"allowed\"")
                && line.contains("\"caller\":\"CRI\"") && line.contains("\"signature_format\":\"sigstore-bundle\""), line);
    }

    @Test
    void withoutTheReferrersApiTheFallbackTagIsRead() throws Exception {
        registry.referrersApi(false);
        registry.addImage("team/model", "v1", image);
        CosignSigner.Bundle bundle = signer.signBundle(image.manifest());
        registry.addImage("team/model", null, bundle.referrer());
        registry.addManifest("team/model", bundle.fallbackTag(), bundle.fallbackIndex());
        ImageRecord r = images(tmp.resolve("root"), signedBy(keyFile(keys, "k.pem"), List.of()))
                .pull(registry.host() + "/team/model:v1", Requester.CLI, Credentials.NONE, Cancellation.none());
        assertEquals("sigstore-bundle", signature(r, "team/model").format());
        assertTrue(registry.requests.stream().anyMatch(q -> q.endsWith("/v2/team/model/manifests/" + bundle.fallbackTag())),
                registry.requests.toString());
    }

    @Test
    void aBundleEditedAfterSigningRefusesThePullBeforeAnyConfigOrLayerAndStoresNothing() throws Exception {
        registry.addImage("team/model", "v1", image);
        registry.addImage("team/model", null, signer.bundleSigning(image.manifest())
                .editAfterSigning(CosignSigner.statement(image.manifest().digest(), "https://example.com/other")).build()
                .referrer());
        Path root = tmp.resolve("root");
        ImageService images = images(root, signedBy(keyFile(keys, "k.pem"), List.of()));
        PolicyDeniedException e = assertThrows(PolicyDeniedException.class, () -> images.pull(registry.host()
                + "/team/model:v1", Requester.CLI, Credentials.NONE, Cancellation.none()));
        assertEquals(ErrorKind.PERMISSION_DENIED, e.kind());
        assertEquals("bad_signature", e.decision().refusal());
        assertTrue(e.getMessage().startsWith("pull " + registry.host() + "/team/model:v1: refused by policy: policy scope \""
                + registry.host() + "/team\" requires a signature"), e.getMessage());
        assertEquals(List.of(), blobRequests(image));
        assertEquals(List.of(), images.list(""), "no image");
        assertFalse(Files.exists(root.resolve("content/blobs/sha256/" + image.config().digest().hex())), "no config stored");
        String line = auditLines(root).get(0);
        assertTrue(line.contains("\"decision\":\"denied\"") && line.contains("\"policy_scope\":\"" + registry.host() + "/team\"")
                && line.contains("\"registry_host\":\"" + registry.host() + "\""), line);
    }

    @Test
    void aSignatureOfTheMultiArchIndexCoversThePlatformManifestPulled() throws Exception {
        ImageBuilder.Image amd64 = new ImageBuilder().layer(Map.of("a", "amd64")).build();
        ImageBuilder.Image arm64 = new ImageBuilder().arch("arm64").layer(Map.of("a", "arm64")).build();
        Map<String, ImageBuilder.Image> platforms = new LinkedHashMap<>();
        platforms.put("linux/amd64", amd64);
        platforms.put("linux/arm64", arm64);
        ImageBuilder.Blob index = ImageBuilder.index(platforms);
        registry.addImage("team/multi", null, amd64);
        registry.addImage("team/multi", null, arm64);
        registry.addManifest("team/multi", "v1", index);
        CosignSigner.SimpleSignature s = signer.signSimple(registry.host() + "/team/multi", index.digest());
        registry.addImage("team/multi", s.tag(), s.signatureImage());
        ImageRecord r = images(tmp.resolve("root"), signedBy(keyFile(keys, "k.pem"), List.of()))
                .pull(registry.host() + "/team/multi:v1", Requester.CLI, Credentials.NONE, Cancellation.none());
        assertEquals(amd64.manifest().digest(), r.manifest());
        assertEquals(index.digest(), signature(r, "team/multi").signedDigest(), "the index's signature vouches for what it lists");
        assertEquals("cosign-simplesigning", signature(r, "team/multi").format());
    }

    @Test
    void signaturesAreReadFromTheMirrorThatServesTheImageAndTheAuditNamesIt() throws Exception {
        Path hosts = Files.createDirectories(tmp.resolve("certs.d/registry.invalid"));
        Files.writeString(hosts.resolve("hosts.toml"), "server = \"http://127.0.0.1:1\"\n[host.\"http://" + registry.host()
                + "\"]\ncapabilities = [\"pull\", \"resolve\"]\n");
        registry.addImage("team/model", "v1", image);
        CosignSigner.SimpleSignature s = signer.signSimple("registry.invalid/team/model", image.manifest().digest());
        registry.addImage("team/model", s.tag(), s.signatureImage());
        Path policy = Files.writeString(tmp.resolve("mirror-policy.json"), """
                {"default": [{"type": "reject"}],
                 "transports": {"docker": {"registry.invalid/team": [{"type": "sigstoreSigned", "keyPath": "KEY",
                   "signedIdentity": {"type": "matchRepository"}}]}}}
                """.replace("KEY", keyFile(keys, "k.pem").toString()));
        RegistrySettings settings = new RegistrySettings(tmp.resolve("certs.d"), null, 5, Duration.ofMillis(5),
                Duration.ofSeconds(30), 4L << 20, 8L << 20, Duration.ofSeconds(30), CredentialSettings.defaults());
        Path root = tmp.resolve("root");
        ImageService images = TestImages.create(root, Wiring.registry(settings), TestImages.amd64(),
                new PolicySettings(policy, List.of()));
        opened.add(images);
        ImageRecord r = images.pull("registry.invalid/team/model:v1", Requester.CLI, Credentials.NONE, Cancellation.none());
        assertEquals(registry.host(), r.trust().get("registry.invalid/team/model").host());
        assertTrue(auditLines(root).get(0).contains("\"registry_host\":\"" + registry.host() + "\""), auditLines(root).get(0));
    }

    @Test
    void aStoredImageIsMountedOnlyWhileThePolicyOfNowStillTrustsWhatItsPullVerified() throws Exception {
        registry.addImage("team/model", "v1", image);
        CosignSigner.SimpleSignature s = signer.signSimple(registry.host() + "/team/model", image.manifest().digest());
        registry.addImage("team/model", s.tag(), s.signatureImage());
        registry.addImage("other/app", "v1", image);
        String ref = registry.host() + "/team/model:v1";
        Path root = tmp.resolve("root");
        ImageService first = images(root, signedBy(keyFile(keys, "k.pem"), List.of()));
        ImageRecord pulled = first.pull(ref, Requester.CLI, Credentials.NONE, Cancellation.none());
        first.checkPolicy(pulled, ref); // the same policy: allowed
        first.close();
        opened.remove(first);

        ImageService rotated = images(root, signedBy(keyFile(CosignSigner.newKeys("ec"), "new.pem"), List.of()));
        ImageRecord stored = rotated.status(ref).orElseThrow();
        PolicyDeniedException e = assertThrows(PolicyDeniedException.class, () -> rotated.checkPolicy(stored, ref));
        assertTrue(e.getMessage().contains("verified with key " + TrustedKey.fingerprintOf(keys.getPublic())
                + ", which the policy no longer trusts"), e.getMessage());
        rotated.close();
        opened.remove(rotated);

        ImageService sized = images(root, signedBy(keyFile(keys, "k.pem"), List.of(
                new ImageRule(registry.host() + "/team", false, 10, List.of(), List.of()))));
        e = assertThrows(PolicyDeniedException.class, () -> sized.checkPolicy(sized.status(ref).orElseThrow(), ref));
        assertEquals("too_large", e.decision().refusal());

        Path open = tmp.resolve("root-open");
        ImageRecord unsigned = images(open, PolicySettings.defaults()).pull(ref, Requester.CLI, Credentials.NONE,
                Cancellation.none());
        assertFalse(unsigned.trust().get(registry.host() + "/team/model").signed(), "pulled when anything was accepted");
        ImageService tightened = images(open, signedBy(keyFile(keys, "k.pem"), List.of()));
        e = assertThrows(PolicyDeniedException.class, () -> tightened.checkPolicy(tightened.status(ref).orElseThrow(), ref));
        assertEquals("unsigned", e.decision().refusal(), e.getMessage());
        assertTrue(e.getMessage().contains("pull it again (pull policy Always)"), e.getMessage());
    }

    @Test
    void aCrashMidPullOrARefusalLeavesOneAuditRecordEachAndAMovedTagIsRecorded() throws Exception {
        registry.addImage("open/app", "v1", image);
        Path root = tmp.resolve("root");
        ImageService images = images(root, PolicySettings.defaults());
        String ref = registry.host() + "/open/app:v1";
        images.pull(ref, Requester.CLI, Credentials.NONE, Cancellation.none());
        ImageBuilder.Image next = new ImageBuilder().layer(Map.of("model/weights.bin", "w2")).build();
        registry.addImage("open/app", "v1", next);
        images.pull(ref, Requester.CLI, Credentials.NONE, Cancellation.none());
        assertThrows(RuntimeException.class, () -> images.pull(registry.host() + "/open/absent:v1", Requester.CRI,
                Credentials.NONE, Cancellation.none()));
        List<String> lines = auditLines(root);
        assertEquals(3, lines.size(), lines.toString());
        assertFalse(lines.get(0).contains("tag_moved_from"), lines.get(0));
        assertTrue(lines.get(1).contains("\"tag_moved_from\":\"" + image.manifest().digest() + "\""), lines.get(1));
        assertTrue(lines.get(2).contains("\"decision\":\"failed\"") && lines.get(2).contains("\"reason\":"), lines.get(2));
        List<AuditRecord> read = images.auditRecords(null, registry.host() + "/open/app");
        assertEquals(2, read.size());
        assertEquals(next.manifest().digest().toString(), read.get(1).manifestDigest());

        ImageBuilder.Blob index = ImageBuilder.index(Map.of("linux/amd64", next)); // the same image, now behind an index
        registry.addManifest("open/app", "v1", index);
        ImageRecord again = images.pull(ref, Requester.CLI, Credentials.NONE, Cancellation.none());
        assertEquals(next.config().digest(), again.id(), "the same image");
        AuditRecord moved = images.auditRecords(null, ref).get(2);
        assertEquals(index.digest().toString(), moved.manifestDigest(), "what the tag resolved to now");
        assertEquals(next.manifest().digest().toString(), moved.tagMovedFrom());
    }

    @Test
    void aStoredImageMountedByItsIdIsDecidedUnderItsNamesAndTheirTrust() throws Exception {
        registry.addImage("team/model", "v1", image);
        CosignSigner.SimpleSignature s = signer.signSimple(registry.host() + "/team/model", image.manifest().digest());
        registry.addImage("team/model", s.tag(), s.signatureImage());
        registry.addImage("other/app", "v1", image); // the same content under a name whose scope accepts anything
        String ref = registry.host() + "/team/model:v1";
        Path root = tmp.resolve("root");
        ImageService images = images(root, signedBy(keyFile(keys, "k.pem"), List.of()));
        ImageRecord pulled = images.pull(ref, Requester.CLI, Credentials.NONE, Cancellation.none());
        images.checkPolicy(pulled, pulled.id().toString());
        images.checkPolicy(pulled, pulled.id().hex().substring(0, 12));

        ImageService rotated = images(root, signedBy(keyFile(CosignSigner.newKeys("ec"), "new.pem"), List.of()));
        ImageRecord stored = rotated.status(ref).orElseThrow();
        for (String byId : List.of(stored.id().toString(), stored.id().hex().substring(0, 12), ref)) {
            PolicyDeniedException e = assertThrows(PolicyDeniedException.class, () -> rotated.checkPolicy(stored, byId), byId);
            assertEquals(stored.id(), e.imageId());
            assertTrue(e.getMessage().contains("no longer trusts"), e.getMessage());
        }

        ImageRecord both = rotated.pull(registry.host() + "/other/app:v1", Requester.CLI, Credentials.NONE,
                Cancellation.none());
        assertEquals(stored.id(), both.id(), "one image, two names");
        rotated.checkPolicy(both, registry.host() + "/other/app:v1"); // its own scope accepts anything
        rotated.checkPolicy(both, both.id().toString()); // as it could be mounted by that name
        assertThrows(PolicyDeniedException.class, () -> rotated.checkPolicy(both, ref), "the other name's trust is its own");
        ImageService original = images(root, signedBy(keyFile(keys, "k.pem"), List.of()));
        original.checkPolicy(original.status(ref).orElseThrow(), ref); // the later pull elsewhere did not overwrite it
    }

    @Test
    void aScopeThatRequiresTwoSignersNeedsBothAtThePullAndAtEveryMount() throws Exception {
        KeyPair second = CosignSigner.newKeys("rsa");
        registry.addImage("team/model", "v1", image);
        CosignSigner.SimpleSignature a = signer.signSimple(registry.host() + "/team/model", image.manifest().digest());
        CosignSigner.SimpleSignature b = new CosignSigner(second).signSimple(registry.host() + "/team/model",
                image.manifest().digest());
        registry.addImage("team/model", a.tag(), CosignSigner.signatureImage(List.of(a, b)));
        Path policy = Files.writeString(tmp.resolve("two.json"), """
                {"default": [{"type": "reject"}],
                 "transports": {"docker": {"HOST/team": [
                   {"type": "sigstoreSigned", "keyPath": "A", "signedIdentity": {"type": "matchRepository"}},
                   {"type": "sigstoreSigned", "keyPath": "B", "signedIdentity": {"type": "matchRepository"}}]}}}
                """.replace("HOST", registry.host()).replace("A", keyFile(keys, "a.pem").toString())
                .replace("B", keyFile(second, "b.pem").toString()));
        String ref = registry.host() + "/team/model:v1";
        ImageService images = images(tmp.resolve("root"), new PolicySettings(policy, List.of()));
        ImageRecord r = images.pull(ref, Requester.CLI, Credentials.NONE, Cancellation.none());
        assertEquals(List.of(TrustedKey.fingerprintOf(keys.getPublic()), TrustedKey.fingerprintOf(second.getPublic())),
                r.trust().get(registry.host() + "/team/model").signatures().stream().map(VerifiedSignature::keyFingerprint)
                        .toList());
        images.checkPolicy(r, ref);
    }

    @Test
    void sizesThatWouldOverflowALongAreRefusedByASizeRuleNotWrappedPastIt() throws Exception {
        long huge = 1L << 62;
        String layer = "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\""
                + Digest.ofString("x") + "\",\"size\":" + huge + "}";
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + image.config().descriptorJson() + ",\"layers\":[" + layer + "," + layer + "," + layer
                + "]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        registry.addImage("team/model", null, image);
        registry.addManifest("team/model", "huge", ImageBuilder.blob("application/vnd.oci.image.manifest.v1+json", manifest));
        ImageService images = images(tmp.resolve("root"), new PolicySettings(null, List.of(
                new ImageRule(registry.host() + "/team", false, 10L << 30, List.of(), List.of()))));
        PolicyDeniedException e = assertThrows(PolicyDeniedException.class, () -> images.pull(registry.host()
                + "/team/model:huge", Requester.CLI, Credentials.NONE, Cancellation.none()));
        assertEquals("too_large", e.decision().refusal(), e.getMessage());
        assertEquals(List.of(), blobRequests(image));
    }
}
