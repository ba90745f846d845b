package io.ocimount.policy.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Digest;
import io.ocimount.ref.Reference;
import io.ocimount.testkit.CosignSigner;
import io.ocimount.testkit.ImageBuilder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both cosign formats, signed by {@link CosignSigner} and read from memory: what verifies, and for each way a
 * signature can be wrong, the failure and the reason that says so.
 */
class CosignSignaturesTest {
    static final String REPO = "127.0.0.1:5000/team/app";
    static final KeyPair EC = CosignSigner.newKeys("ec");
    static final KeyPair OTHER = CosignSigner.newKeys("ec");

    final ImageBuilder.Image image = new ImageBuilder().layer(Map.of("a", "1")).build();
    final ImageBuilder.Image arm = new ImageBuilder().arch("arm64").layer(Map.of("a", "2")).build();
    final ImageBuilder.Blob index = ImageBuilder.index(Map.of("linux/amd64", image, "linux/arm64", arm));
    final Digest digest = image.manifest().digest();
    final Reference pulled = Reference.parse(REPO + ":v1");
    final MemorySignatureSource source = new MemorySignatureSource();
    final CosignSigner signer = new CosignSigner(EC);

    /** matchRepository, recording what it was asked. */
    static final class SameRepository implements SignedIdentity {
        final List<Reference> asked = new ArrayList<>();

        @Override
        public boolean accepts(Reference pulled, Reference signed) {
            asked.add(signed);
            return pulled.name().equals(signed.name());
        }

        @Override
        public String describe() {
            return "matchRepository";
        }
    }

    final SameRepository identity = new SameRepository();

    SignatureResult check(List<Digest> digests, KeyPair... trusted) {
        List<TrustedKey> keys = new ArrayList<>();
        for (int i = 0; i < trusted.length; i++) {
            keys.add(TrustedKey.of(trusted[i].getPublic(), "keyData[" + i + "]"));
        }
        return new CosignSignatures().check(source, pulled, digests,
                keys, identity, Cancellation.none());
    }

    SignatureResult check(KeyPair... trusted) {
        return check(List.of(digest), trusted);
    }

    void pushSimple(CosignSigner.SimpleSignature s) {
        source.push(s.tag(), s.signatureImage());
    }

    static void refused(SignatureResult r, SignatureResult.Failure failure, String... reasonParts) {
        assertFalse(r.verified(), r.toString());
        assertEquals(failure, r.failure(), r.reason());
        for (String part : reasonParts) {
            assertTrue(r.reason().contains(part), "want \"" + part + "\" in: " + r.reason());
        }
        assertTrue(r.reason().length() <= 700, r.reason());
    }

    // ---- simple signing ----

    @ParameterizedTest
    @ValueSource(strings = {"ec", "ed25519", "rsa"})
    void simpleSigningVerifiesWithEachKeyType(String kind) {
        KeyPair keys = CosignSigner.newKeys(kind);
        pushSimple(new CosignSigner(keys).signSimple(REPO, digest));
        SignatureResult r = check(OTHER, keys);
        assertTrue(r.verified(), r.reason());
        assertEquals("cosign-simplesigning", r.format());
        assertEquals(TrustedKey.fingerprintOf(keys.getPublic()), r.keyFingerprint());
        assertEquals(digest, r.signed());
        assertEquals(0, source.count("referrers"), "a verified simple signature ends the search");
    }

    @Test
    void theSignedIdentityIsTheRepositoryAloneAndDockerHubIsNormalised() {
        Reference hub = Reference.parse("busybox:1.36");
        pushSimple(signer.signSimple("index.docker.io/library/busybox", digest));
        SignatureResult r = new CosignSignatures().check(source, hub, List.of(digest), 
                List.of(TrustedKey.of(EC.getPublic(), "k")), identity, Cancellation.none());
        assertTrue(r.verified(), r.reason());
        Reference signed = identity.asked.get(0);
        assertEquals("docker.io/library/busybox", signed.name());
        assertNull(signed.tag());
        assertNull(signed.digest());
    }

    @Test
    void aSignatureByAnotherKeyIsRefusedNamingTheKeysTried() {
        pushSimple(new CosignSigner(OTHER).signSimple(REPO, digest));
        SignatureResult r = check(EC);
        String fp = TrustedKey.fingerprintOf(EC.getPublic());
        refused(r, SignatureResult.Failure.BAD_SIGNATURE, "sha256-" + digest.shortHex() + "….sig layer 0",
                "signature does not verify with " + fp.substring(0, 19) + "… (ecdsa-p256)");
        assertTrue(identity.asked.isEmpty(), "nothing of an unverified payload is believed");
    }

    @Test
    void aPayloadEditedAfterSigningIsRefused() {
        byte[] edited = CosignSigner.simpleSigningPayload("127.0.0.1:5000/evil/app", digest, CosignSigner.COSIGN_TYPE);
        pushSimple(signer.simpleSigning(REPO, digest).editAfterSigning(edited).build());
        refused(check(EC), SignatureResult.Failure.BAD_SIGNATURE, "does not verify");
    }

    @Test
    void aSignatureOverOtherBytesIsRefused() {
        pushSimple(signer.simpleSigning(REPO, digest).signInstead("other".getBytes(StandardCharsets.UTF_8)).build());
        refused(check(EC), SignatureResult.Failure.BAD_SIGNATURE, "does not verify");
    }

    @Test
    void aSignatureOfAnotherDigestIsRefused() {
        Digest other = arm.manifest().digest();
        pushSimple(signer.simpleSigning(REPO, digest).namedDigest(other).build());
        refused(check(EC), SignatureResult.Failure.BAD_SIGNATURE, "payload names " + other + " not " + digest);
    }

    @Test
    void aSignatureNamingAnotherRepositoryIsAnIdentityRefusal() {
        pushSimple(signer.simpleSigning(REPO, digest).identity("127.0.0.1:5000/other").build());
        refused(check(EC), SignatureResult.Failure.IDENTITY,
                "identity 127.0.0.1:5000/other is not accepted by matchRepository");
    }

    @Test
    void anotherCriticalTypeIsRefusedQuotedAndBounded() {
        String type = "evil\n" + "x".repeat(5000);
        pushSimple(signer.simpleSigning(REPO, digest).type(type).build());
        SignatureResult r = check(EC);
        refused(r, SignatureResult.Failure.BAD_SIGNATURE, "critical.type is \"evil\\n");
        assertFalse(r.reason().contains("\n"), "no raw newline from the registry reaches the reason");
    }

    @Test
    void aPayloadWithAnUnknownCriticalFieldIsRefused() {
        byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + REPO + "\"},\"image\":{"
                + "\"docker-manifest-digest\":\"" + digest + "\"},\"type\":\"" + CosignSigner.COSIGN_TYPE
                + "\",\"extra\":1},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
        pushSimple(signer.simpleSigning(REPO, digest).editAfterSigning(payload).signInstead(payload).build());
        refused(check(EC), SignatureResult.Failure.BAD_SIGNATURE, "\"critical\" has an unknown field");
    }

    @Test
    void anImageWithoutSignaturesIsUnsigned() {
        SignatureResult r = check(EC);
        refused(r, SignatureResult.Failure.UNSIGNED, "no cosign signature or sigstore bundle found for " + digest);
        assertEquals(List.of("tag sha256-" + digest.hex() + ".sig", "referrers " + digest), source.calls);
    }

    @Test
    void aSignatureOfTheIndexVouchesForThePlatformManifestPulled() {
        pushSimple(signer.signSimple(REPO, index.digest()));
        SignatureResult r = check(List.of(index.digest(), digest), EC);
        assertTrue(r.verified(), r.reason());
        assertEquals(index.digest(), r.signed());
    }

    @Test
    void aSignatureOfThePlatformManifestAloneIsFoundAfterTheIndex() {
        pushSimple(signer.signSimple(REPO, digest));
        SignatureResult r = check(List.of(index.digest(), digest), EC);
        assertTrue(r.verified(), r.reason());
        assertEquals(digest, r.signed());
        assertTrue(source.calls.indexOf("tag sha256-" + index.digest().hex() + ".sig")
                < source.calls.indexOf("tag sha256-" + digest.hex() + ".sig"));
    }

    @Test
    void aGoodSignatureAfterBadOnesInTheSameManifestVerifies() {
        CosignSigner.SimpleSignature bad = new CosignSigner(OTHER).signSimple(REPO, digest);
        CosignSigner.SimpleSignature good = signer.signSimple(REPO, digest);
        source.push(good.tag(), CosignSigner.signatureImage(List.of(bad, good)));
        assertTrue(check(EC).verified());
    }

    @Test
    void anOversizedPayloadIsRefusedWithoutReadingIt() {
        byte[] big = new byte[64 * 1024 + 1];
        pushSimple(signer.simpleSigning(REPO, digest).editAfterSigning(big).build());
        refused(check(EC), SignatureResult.Failure.BAD_SIGNATURE, "payload of 65537 bytes is over the 64 KiB cap");
        assertEquals(0, source.count("blob "));
    }

    @Test
    void aPayloadWhoseBytesDoNotMatchItsDigestIsThatSignaturesReason() {
        CosignSigner.SimpleSignature s = signer.signSimple(REPO, digest);
        pushSimple(s);
        byte[] wrong = s.payload().clone();
        wrong[0] = ' ';
        source.blobs.put(s.payloadBlob().digest(), wrong);
        refused(check(EC), SignatureResult.Failure.BAD_SIGNATURE, "layer 0: " + s.payloadBlob().digest()
                + ": the bytes served do not match the digest");
    }

    @Test
    void tooManySignatureLayersAreCappedAndTheReasonStaysBounded() {
        List<CosignSigner.SimpleSignature> all = new ArrayList<>();
        CosignSigner stranger = new CosignSigner(OTHER);
        for (int i = 0; i < 40; i++) {
            all.add(stranger.signSimple(REPO + i, digest));
        }
        source.push(all.get(0).tag(), CosignSigner.signatureImage(all));
        SignatureResult r = check(EC);
        refused(r, SignatureResult.Failure.BAD_SIGNATURE, "40 signatures found, none verified",
                "8 more beyond the cap were not looked at", "; and ");
        assertEquals(32, source.count("blob "));
        assertTrue(r.reason().length() <= SignatureFindings.MAX_REASON_CHARS, r.reason().length() + ": " + r.reason());
    }

    @Test
    void aSignatureManifestThatIsAnIndexIsRefusedNotThrown() {
        source.pushManifest("sha256-" + digest.hex() + ".sig", index);
        refused(check(EC), SignatureResult.Failure.BAD_SIGNATURE, "is an index, not a signature manifest");
    }

    @Test
    void cancellationAndAnUnreachableRegistryPropagate() {
        pushSimple(signer.signSimple(REPO, digest));
        Cancellation cancel = Cancellation.none();
        cancel.cancel(ErrorKind.DEADLINE_EXCEEDED, "policy check timed out");
        OciMountException e = assertThrows(OciMountException.class, () -> new CosignSignatures().check(source,
                pulled, List.of(digest), List.of(TrustedKey.of(EC.getPublic(), "k")),
                        identity, cancel));
        assertEquals(ErrorKind.DEADLINE_EXCEEDED, e.kind());

        source.failure = OciMountException.unavailable("registry down", null);
        assertEquals(ErrorKind.UNAVAILABLE, assertThrows(OciMountException.class, () -> check(EC)).kind());
    }

    // ---- sigstore bundles ----

    @Test
    void aBundleFoundThroughTheReferrersApiVerifies() {
        source.attach(digest, signer.signBundle(image.manifest()));
        SignatureResult r = check(EC);
        assertTrue(r.verified(), r.reason());
        assertEquals("sigstore-bundle", r.format());
        assertEquals(TrustedKey.fingerprintOf(EC.getPublic()), r.keyFingerprint());
        assertEquals(digest, r.signed());
        assertEquals(0, source.count("tag sha256-" + digest.hex() + " "), "no fallback when the API answers");
        Reference signed = identity.asked.get(0);
        assertEquals(REPO, signed.name());
        assertNull(signed.tag());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "rsa"})
    void bundlesVerifyWithOtherKeyTypes(String kind) {
        KeyPair keys = CosignSigner.newKeys(kind);
        source.attach(digest, new CosignSigner(keys).signBundle(image.manifest()));
        assertTrue(check(keys).verified());
    }

    @Test
    void withoutTheReferrersApiTheFallbackTagIsRead() {
        CosignSigner.Bundle bundle = signer.signBundle(image.manifest());
        source.referrersApi = false;
        source.push(null, bundle.referrer()).pushManifest(bundle.fallbackTag(), bundle.fallbackIndex());
        SignatureResult r = check(EC);
        assertTrue(r.verified(), r.reason());
        assertTrue(source.calls.contains("tag sha256-" + digest.hex()), source.calls.toString());
    }

    @Test
    void aBundleWithATamperedPayloadIsRefused() {
        byte[] other = CosignSigner.statement(arm.manifest().digest(), CosignSigner.COSIGN_SIGN_PREDICATE);
        source.attach(digest, signer.bundleSigning(image.manifest()).editAfterSigning(other).build());
        refused(check(EC), SignatureResult.Failure.BAD_SIGNATURE, "bundle sha256:", "signature does not verify with");
    }

    @Test
    void aBundleWhoseStatementNamesAnotherDigestIsRefused() {
        Digest other = arm.manifest().digest();
        source.attach(digest, signer.bundleSigning(image.manifest()).statementDigest(other).build());
        refused(check(EC), SignatureResult.Failure.BAD_SIGNATURE, "statement names " + other + " not " + digest);
    }

    @Test
    void aReferrerWhoseSubjectIsAnotherImageIsRefusedBeforeItsBundleIsRead() {
        source.attach(digest, signer.bundleSigning(image.manifest()).referrerSubject(arm.manifest()).build());
        refused(check(EC), SignatureResult.Failure.BAD_SIGNATURE,
                "subject is " + arm.manifest().digest() + ", not " + digest);
        assertEquals(0, source.count("blob "));
    }

    @Test
    void aKeylessBundleIsRefusedAsUnsupported() {
        source.attach(digest, signer.bundleSigning(image.manifest()).keyless(new byte[] {0x30, 0x03, 1, 2, 3}).build());
        refused(check(EC), SignatureResult.Failure.BAD_SIGNATURE, "signed keyless",
                "only signatures by a policy's public keys are supported");
    }

    @Test
    void aBundleOfAnotherPredicateOrPayloadTypeIsRefused() {
        source.attach(digest, signer.bundleSigning(image.manifest()).predicateType("https://slsa.dev/provenance/v1").build());
        refused(check(EC), SignatureResult.Failure.BAD_SIGNATURE, "predicateType is \"https://slsa.dev/provenance/v1\"");
        source.referrers.clear();
        source.attach(digest, signer.bundleSigning(image.manifest()).payloadType("application/json").build());
        refused(check(EC), SignatureResult.Failure.BAD_SIGNATURE, "payloadType is \"application/json\"");
    }

    @Test
    void aBundleIsAnIdentityRefusalWhenTheRuleWantsAnotherRepository() {
        source.attach(digest, signer.signBundle(image.manifest()));
        SignedIdentity elsewhere = new SignedIdentity() {
            @Override
            public boolean accepts(Reference p, Reference signed) {
                return signed.name().equals("127.0.0.1:5000/team/other");
            }

            @Override
            public String describe() {
                return "exactRepository 127.0.0.1:5000/team/other";
            }
        };
        SignatureResult r = new CosignSignatures().check(source, pulled, List.of(digest), 
                List.of(TrustedKey.of(EC.getPublic(), "k")), elsewhere, Cancellation.none());
        refused(r, SignatureResult.Failure.IDENTITY,
                "identity " + REPO + " is not accepted by exactRepository 127.0.0.1:5000/team/other");
    }

    @Test
    void aBundleOverTheBundleCapIsNotRead() {
        CosignSigner.Bundle bundle = signer.signBundle(image.manifest());
        byte[] huge = new byte[1024 * 1024 + 1];
        String manifest = new String(bundle.referrer().manifest().bytes(), StandardCharsets.UTF_8)
                .replace("\"size\":" + bundle.json().length, "\"size\":" + huge.length);
        ImageBuilder.Blob m = ImageBuilder.blob(bundle.referrer().manifest().mediaType(),
                manifest.getBytes(StandardCharsets.UTF_8));
        source.pushManifest(null, m);
        source.referrers.put(digest, List.of(new ImageBuilder.Image(m, bundle.referrer().config(),
                bundle.referrer().layers(), Map.of())));
        refused(check(EC), SignatureResult.Failure.BAD_SIGNATURE, "bundle of 1048577 bytes is over the 1 MiB cap");
        assertEquals(0, source.count("blob "));
    }

    @Test
    void referrersOfOtherArtifactTypesAreNotSignatures() {
        ImageBuilder.Image sbom = new ImageBuilder().build();
        source.push(null, sbom);
        source.referrers.put(digest, List.of()); // the API answers, with nothing of ours
        refused(check(EC), SignatureResult.Failure.UNSIGNED);
    }
}
