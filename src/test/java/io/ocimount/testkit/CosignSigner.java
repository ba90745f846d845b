package io.ocimount.testkit;

import io.ocimount.oci.Digest;
import io.ocimount.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signs images the way {@code cosign sign --key} does, producing the very objects cosign pushes, so tests (unit
 * ones against {@link FakeRegistry}, end-to-end ones against a real registry) can sign without cosign:
 * <ul>
 *   <li>simple signing (cosign v1/v2): the payload, its base64 signature, and the {@code sha256-<hex>.sig}
 *       image (cosign's near-empty config, one layer per signature);</li>
 *   <li>a sigstore bundle (cosign v3): a DSSE envelope over an in-toto Statement v1, the referrer manifest that
 *       attaches it to the image, and the {@code sha256-<hex>} fallback index for registries without the
 *       referrers API.</li>
 * </ul>
 * Each builder has hooks to get it wrong in one way, the way an attacker or a broken signer would. The signing
 * here is written apart from the verifier's, so a mistake in one is not hidden by the same mistake in the other.
 */
public final class CosignSigner {
    public static final String SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    public static final String BUNDLE = "application/vnd.dev.sigstore.bundle.v0.3+json";
    public static final String IN_TOTO = "application/vnd.in-toto+json";
    public static final String COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
    public static final String COSIGN_TYPE = "cosign container image signature";
    /** The OCI empty descriptor's blob. */
    public static final ImageBuilder.Blob EMPTY_CONFIG = ImageBuilder.blob(MediaTypes.OCI_EMPTY,
            "{}".getBytes(StandardCharsets.UTF_8));
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private final KeyPair keys;

    public CosignSigner(KeyPair keys) {
        this.keys = keys;
    }

    public KeyPair keys() {
        return keys;
    }

    /** A fresh key pair as {@code cosign generate-key-pair} or a KMS makes: "ec" (P-256), "ed25519" or "rsa". */
    public static KeyPair newKeys(String kind) {
        try {
            switch (kind) {
                case "ec": {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                    return g.generateKeyPair();
                }
                case "ed25519":
                    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                case "rsa": {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048);
                    return g.generateKeyPair();
                }
                default:
                    throw new IllegalArgumentException("no such key kind: " + kind);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The signature cosign's signer makes: ECDSA P-256/SHA-256 (DER), Ed25519, or RSA PKCS#1 v1.5/SHA-256. */
    public byte[] sign(byte[] data) {
        String algorithm = switch (keys.getPrivate().getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            default -> throw new IllegalArgumentException("cosign does not sign with " + keys.getPrivate().getAlgorithm());
        };
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(keys.getPrivate());
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- simple signing ----

    /** One simple signing layer: the payload as pushed, and the base64 signature annotated on it. */
    public record SimpleSignature(Digest image, byte[] payload, String signature) {
        public ImageBuilder.Blob payloadBlob() {
            return ImageBuilder.blob(SIMPLE_SIGNING, payload);
        }

        /** The tag cosign pushes the signature image under: {@code sha256-<hex>.sig}. */
        public String tag() {
            return image.algorithm() + "-" + image.hex() + ".sig";
        }

        /** The signature image holding this signature alone. */
        public ImageBuilder.Image signatureImage() {
            return CosignSigner.signatureImage(List.of(this));
        }
    }

    /** A simple signature of {@code image} naming {@code repository} ("registry/path", no tag), to adjust. */
    public SimpleSigning simpleSigning(String repository, Digest image) {
        return new SimpleSigning(repository, image);
    }

    /** A simple signature as cosign makes it. */
    public SimpleSignature signSimple(String repository, Digest image) {
        return simpleSigning(repository, image).build();
    }

    /** Builds one simple signature; each setter is one way for it to be wrong. */
    public final class SimpleSigning {
        private final Digest image;
        private String repository;
        private Digest named;
        private String type = COSIGN_TYPE;
        private byte[] signedInstead;
        private byte[] pushedInstead;

        private SimpleSigning(String repository, Digest image) {
            this.repository = repository;
            this.image = image;
            this.named = image;
        }

        /** The payload names this digest instead of the image's. */
        public SimpleSigning namedDigest(Digest d) {
            named = d;
            return this;
        }

        /** The payload names this repository as its identity. */
        public SimpleSigning identity(String otherRepository) {
            repository = otherRepository;
            return this;
        }

        /** critical.type says this. */
        public SimpleSigning type(String t) {
            type = t;
            return this;
        }

        /** The signature is over these bytes, not the payload. */
        public SimpleSigning signInstead(byte[] other) {
            signedInstead = other;
            return this;
        }

        /** The payload pushed is these bytes: it was edited after it was signed. */
        public SimpleSigning editAfterSigning(byte[] edited) {
            pushedInstead = edited;
            return this;
        }

        public SimpleSignature build() {
            byte[] payload = simpleSigningPayload(repository, named, type);
            String sig = Base64.getEncoder().encodeToString(sign(signedInstead != null ? signedInstead : payload));
            return new SimpleSignature(image, pushedInstead != null ? pushedInstead : payload, sig);
        }
    }

    /** The payload as cosign's Go code marshals it: fields in struct order, no spaces, {@code optional} null. */
    public static byte[] simpleSigningPayload(String repository, Digest digest, String type) {
        return ("{\"critical\":{\"identity\":{\"docker-reference\":" + quote(repository) + "},\"image\":{"
                + "\"docker-manifest-digest\":" + quote(digest.toString()) + "},\"type\":" + quote(type)
                + "},\"optional\":null}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The signature image cosign pushes: one layer per signature (cosign appends one each time an image is
     * signed), a config with their diff_ids and zero times, as go-containerregistry's empty image mutated.
     */
    public static ImageBuilder.Image signatureImage(List<SimpleSignature> signatures) {
        List<ImageBuilder.Blob> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        List<String> history = new ArrayList<>();
        StringBuilder layerJson = new StringBuilder();
        for (SimpleSignature s : signatures) {
            ImageBuilder.Blob b = s.payloadBlob();
            layers.add(b);
            diffIds.add(quote(b.digest().toString()));
            history.add("{\"created\":\"" + ZERO_TIME + "\"}");
            layerJson.append(layerJson.length() > 0 ? "," : "").append(descriptor(b.mediaType(), b.digest(),
                    b.bytes().length, Map.of(SIGNATURE_ANNOTATION, s.signature())));
        }
        ImageBuilder.Blob config = ImageBuilder.blob(MediaTypes.OCI_CONFIG, ("{\"architecture\":\"\",\"created\":\""
                + ZERO_TIME + "\",\"history\":[" + String.join(",", history) + "],\"os\":\"\",\"rootfs\":{\"type\":"
                + "\"layers\",\"diff_ids\":[" + String.join(",", diffIds) + "]},\"config\":{}}").getBytes(StandardCharsets.UTF_8));
        ImageBuilder.Blob manifest = ImageBuilder.blob(MediaTypes.OCI_MANIFEST, ("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"config\":" + descriptor(config.mediaType(), config.digest(),
                config.bytes().length, Map.of()) + ",\"layers\":[" + layerJson + "]}").getBytes(StandardCharsets.UTF_8));
        return image(manifest, config, layers);
    }

    // ---- sigstore bundle ----

    /** A bundle, the referrer manifest that attaches it to {@code subject}, and how to find it without the API. */
    public record Bundle(Digest subject, byte[] json, ImageBuilder.Image referrer) {
        /** The tag of the fallback index: {@code sha256-<hex>}. */
        public String fallbackTag() {
            return subject.algorithm() + "-" + subject.hex();
        }

        /** The fallback index listing this bundle's referrer alone. */
        public ImageBuilder.Blob fallbackIndex() {
            return CosignSigner.fallbackIndex(List.of(referrer));
        }
    }

    /** A bundle signing {@code subject} (an image manifest or index as pushed), to adjust. */
    public BundleSigning bundleSigning(ImageBuilder.Blob subject) {
        return new BundleSigning(subject);
    }

    /** A bundle as cosign v3 makes it. */
    public Bundle signBundle(ImageBuilder.Blob subject) {
        return bundleSigning(subject).build();
    }

    /** Builds one bundle; each setter is one way for it to be wrong. */
    public final class BundleSigning {
        private final ImageBuilder.Blob subject;
        private ImageBuilder.Blob referrerSubject;
        private Digest statementDigest;
        private String payloadType = IN_TOTO;
        private String predicateType = COSIGN_SIGN_PREDICATE;
        private byte[] pushedInstead;
        private String certificate;

        private BundleSigning(ImageBuilder.Blob subject) {
            this.subject = subject;
            this.referrerSubject = subject;
            this.statementDigest = subject.digest();
        }

        /** The in-toto statement's subject is this digest. */
        public BundleSigning statementDigest(Digest d) {
            statementDigest = d;
            return this;
        }

        /** The referrer manifest's {@code subject} points at this instead (the fallback tag stays the image's). */
        public BundleSigning referrerSubject(ImageBuilder.Blob other) {
            referrerSubject = other;
            return this;
        }

        public BundleSigning payloadType(String t) {
            payloadType = t;
            return this;
        }

        public BundleSigning predicateType(String t) {
            predicateType = t;
            return this;
        }

        /** The envelope carries these payload bytes, not the ones signed. */
        public BundleSigning editAfterSigning(byte[] edited) {
            pushedInstead = edited;
            return this;
        }

        /** Verification material is this certificate (DER), as a keyless signature's is. */
        public BundleSigning keyless(byte[] certificateDer) {
            certificate = Base64.getEncoder().encodeToString(certificateDer);
            return this;
        }

        public Bundle build() {
            byte[] statement = statement(statementDigest, predicateType);
            String pae = "DSSEv1 " + payloadType.getBytes(StandardCharsets.UTF_8).length + " " + payloadType + " "
                    + statement.length + " ";
            byte[] signed = concat(pae.getBytes(StandardCharsets.UTF_8), statement);
            String material = certificate != null ? "{\"certificate\":{\"rawBytes\":" + quote(certificate) + "}}"
                    : "{\"publicKey\":{\"hint\":" + quote(Base64.getEncoder().encodeToString(
                            Digest.newSha256().digest(keys.getPublic().getEncoded()))) + "}}";
            byte[] json = ("{\"mediaType\":\"" + BUNDLE + "\",\"verificationMaterial\":" + material
                    + ",\"dsseEnvelope\":{\"payload\":" + quote(Base64.getEncoder().encodeToString(
                            pushedInstead != null ? pushedInstead : statement))
                    + ",\"payloadType\":" + quote(payloadType) + ",\"signatures\":[{\"sig\":"
                    + quote(Base64.getEncoder().encodeToString(sign(signed))) + "}]}}").getBytes(StandardCharsets.UTF_8);
            return new Bundle(subject.digest(), json, referrer(json, referrerSubject, predicateType));
        }
    }

    /** cosign's statement for a signature: subject the manifest digest (no name), an empty predicate. */
    public static byte[] statement(Digest subject, String predicateType) {
        return ("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":"
                + quote(subject.hex()) + "}}],\"predicateType\":" + quote(predicateType) + ",\"predicate\":{}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The OCI 1.1 artifact manifest holding a bundle: empty config, the bundle as its one layer, a subject. */
    private static ImageBuilder.Image referrer(byte[] bundle, ImageBuilder.Blob subject, String predicateType) {
        ImageBuilder.Blob layer = ImageBuilder.blob(BUNDLE, bundle);
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\""
                + BUNDLE + "\",\"config\":" + descriptor(EMPTY_CONFIG.mediaType(), EMPTY_CONFIG.digest(), 2, Map.of())
                + ",\"layers\":[" + descriptor(BUNDLE, layer.digest(), bundle.length, Map.of(
                        "org.opencontainers.image.title", layer.digest().algorithm() + "-" + layer.digest().hex()
                                + ".sigstore.json"))
                + "],\"subject\":" + descriptor(subject.mediaType(), subject.digest(), subject.bytes().length, Map.of())
                + ",\"annotations\":" + annotations(bundleAnnotations(predicateType)) + "}";
        return image(ImageBuilder.blob(MediaTypes.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8)), EMPTY_CONFIG,
                List.of(layer));
    }

    private static Map<String, String> bundleAnnotations(String predicateType) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("dev.sigstore.bundle.content", "dsse-envelope");
        a.put("dev.sigstore.bundle.predicateType", predicateType);
        a.put("org.opencontainers.image.created", "2025-01-01T00:00:00Z");
        return a;
    }

    /** The index cosign writes at the {@code sha256-<hex>} tag when the registry has no referrers API. */
    public static ImageBuilder.Blob fallbackIndex(List<ImageBuilder.Image> referrers) {
        StringBuilder s = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX
                + "\",\"manifests\":[");
        for (int i = 0; i < referrers.size(); i++) {
            ImageBuilder.Blob m = referrers.get(i).manifest();
            s.append(i > 0 ? "," : "").append("{\"mediaType\":\"").append(m.mediaType()).append("\",\"digest\":\"")
                    .append(m.digest()).append("\",\"size\":").append(m.bytes().length).append(",\"artifactType\":\"")
                    .append(BUNDLE).append("\",\"annotations\":")
                    .append(annotations(bundleAnnotations(COSIGN_SIGN_PREDICATE))).append('}');
        }
        return ImageBuilder.blob(MediaTypes.OCI_INDEX, s.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }

    // ---- JSON as Go writes it ----

    private static ImageBuilder.Image image(ImageBuilder.Blob manifest, ImageBuilder.Blob config, List<ImageBuilder.Blob> layers) {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        blobs.put(config.digest(), config.bytes());
        layers.forEach(l -> blobs.put(l.digest(), l.bytes()));
        blobs.put(manifest.digest(), manifest.bytes());
        return new ImageBuilder.Image(manifest, config, layers, blobs);
    }

    private static String descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations) {
        return "{\"mediaType\":" + quote(mediaType) + ",\"size\":" + size + ",\"digest\":\"" + digest + "\""
                + (annotations.isEmpty() ? "" : ",\"annotations\":" + annotations(annotations)) + "}";
    }

    private static String annotations(Map<String, String> annotations) {
        StringBuilder s = new StringBuilder("{");
        new TreeMap<>(annotations).forEach((k, v) -> s.append(s.length() > 1 ? "," : "").append(quote(k)).append(':').append(quote(v)));
        return s.append('}').toString();
    }

    /** A JSON string as Go's encoding/json writes it, HTML characters escaped. */
    static String quote(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.append('"').toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
