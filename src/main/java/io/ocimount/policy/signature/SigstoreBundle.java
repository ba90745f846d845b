package io.ocimount.policy.signature;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Json;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The parts of a sigstore bundle (protobuf-specs v0.3 JSON, or v0.2 of the same shape) that a key-based check
 * uses: the DSSE envelope. Refused: a bundle whose verification material is a certificate (signed keyless, through
 * Fulcio and Rekor, which needs a trust root this daemon does not have), a message signature instead of an
 * envelope, and any field of the wrong type. The public key hint and transparency log entries are not used: the
 * policy's keys are tried instead, and no Rekor proof is checked.
 *
 * @param payloadType the envelope's payloadType, as written
 * @param payload     the envelope's payload, decoded
 * @param signatures  each signature's bytes, decoded, in order
 */
record SigstoreBundle(String payloadType, byte[] payload, List<byte[]> signatures) {
    static final String MEDIA_TYPE_V03 = "application/vnd.dev.sigstore.bundle.v0.3+json";
    static final String MEDIA_TYPE_V02 = "application/vnd.dev.sigstore.bundle+json;version=0.2";
    static final Set<String> MEDIA_TYPES = Set.of(MEDIA_TYPE_V03, MEDIA_TYPE_V02);
    /** More than any envelope carries; a bound on the work one bundle can ask for. */
    static final int MAX_SIGNATURES = 8;
    private static final String WHAT = "sigstore bundle";

    static SigstoreBundle parse(byte[] raw) {
        JsonNode root = Json.parse(raw, WHAT);
        String mediaType = Json.text(root, "mediaType", WHAT);
        if (!MEDIA_TYPES.contains(mediaType)) {
            throw OciMountException.invalid(WHAT + ": unsupported mediaType (want " + MEDIA_TYPE_V03 + ")");
        }
        JsonNode material = object(root, "verificationMaterial");
        if (material.has("certificate") || material.has("x509CertificateChain")) {
            throw OciMountException.invalid(WHAT + ": signed keyless (its verification material is a certificate);"
                    + " only signatures by a policy's public keys are supported");
        }
        JsonNode publicKey = material.get("publicKey");
        if (publicKey != null && !publicKey.isObject()) {
            throw OciMountException.invalid(WHAT + ": \"verificationMaterial.publicKey\" must be an object");
        }
        if (root.has("messageSignature")) {
            throw OciMountException.invalid(WHAT + ": holds a message signature, not a DSSE envelope"
                    + " (cosign signs images with an envelope)");
        }
        JsonNode envelope = object(root, "dsseEnvelope");
        String payloadType = Json.text(envelope, "payloadType", WHAT);
        byte[] payload = base64(Json.text(envelope, "payload", WHAT), "dsseEnvelope.payload");
        JsonNode sigs = envelope.get("signatures");
        if (sigs == null || !sigs.isArray() || sigs.isEmpty()) {
            throw OciMountException.invalid(WHAT + ": \"dsseEnvelope.signatures\" must be a non-empty array");
        }
        if (sigs.size() > MAX_SIGNATURES) {
            throw OciMountException.invalid(WHAT + ": " + sigs.size() + " envelope signatures, more than "
                    + MAX_SIGNATURES);
        }
        List<byte[]> signatures = new ArrayList<>();
        for (int i = 0; i < sigs.size(); i++) {
            JsonNode s = sigs.get(i);
            String what = "dsseEnvelope.signatures[" + i + "]";
            if (!s.isObject()) {
                throw OciMountException.invalid(WHAT + ": \"" + what + "\" must be an object");
            }
            Json.optText(s, "keyid", WHAT + " " + what); // a hint only, but it must be a string
            signatures.add(base64(Json.text(s, "sig", WHAT + " " + what), what + ".sig"));
        }
        return new SigstoreBundle(payloadType, payload, List.copyOf(signatures));
    }

    private static JsonNode object(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw OciMountException.invalid(WHAT + ": \"" + field + "\" must be an object");
        }
        return node;
    }

    /** DSSE lets signers use standard or URL-safe base64, and verifiers must take either. */
    private static byte[] base64(String text, String field) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException notStandard) {
            try {
                return Base64.getUrlDecoder().decode(text);
            } catch (IllegalArgumentException neither) {
                throw OciMountException.invalid(WHAT + ": \"" + field + "\" is not base64");
            }
        }
    }
}
