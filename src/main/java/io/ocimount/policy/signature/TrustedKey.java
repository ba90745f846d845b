package io.ocimount.policy.signature;

import io.ocimount.oci.Digest;
import java.security.PublicKey;

/**
 * A public key a policy trusts to sign images.
 *
 * @param fingerprint "SHA256:" and the hex SHA-256 of the key's DER SubjectPublicKeyInfo, how audit records and
 *                    refusals name the key (the same bytes {@code cosign public-key} writes as PEM)
 * @param source      where the policy got it: a file path, or "keyData" with its position in the policy
 */
public record TrustedKey(PublicKey key, String fingerprint, String source) {

    public static TrustedKey of(PublicKey key, String source) {
        return new TrustedKey(key, fingerprintOf(key), source);
    }

    public static String fingerprintOf(PublicKey key) {
        return "SHA256:" + Digest.of(key.getEncoded()).hex();
    }
}
