package io.ocimount.policy;

import io.ocimount.policy.signature.TrustedKey;
import io.ocimount.oci.Digest;

/**
 * A signature the policy verified, as an image's record keeps it.
 *
 * @param format          "cosign-simplesigning" or "sigstore-bundle"
 * @param keyFingerprint  the verifying key's {@link TrustedKey#fingerprint()}
 * @param signedDigest    the digest it covers: the one the reference resolved to, or the platform manifest
 * @param signedReference the repository it names (a bundle's: the repository it was found in)
 */
public record VerifiedSignature(String format, String keyFingerprint, Digest signedDigest, String signedReference) {
}
