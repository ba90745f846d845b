package io.ocimount.policy.signature;

import io.ocimount.oci.Digest;

/**
 * What checking an image's signatures against a requirement found.
 *
 * @param verified       whether a signature by a trusted key vouched for the image
 * @param format         "cosign-simplesigning" or "sigstore-bundle" for a verified signature, else null
 * @param keyFingerprint the {@link TrustedKey#fingerprint()} of the key that verified, else null
 * @param signed         the manifest digest the verified signature covers (the index's or the platform manifest's)
 * @param signedReference the repository the verified signature names (a bundle names none: the repository it was
 *                        found in), else null
 * @param failure        why nothing verified, as a short fixed word for metrics labels, else null
 * @param reason         why nothing verified (every signature found and what was wrong with it, bounded), else null
 */
public record SignatureResult(boolean verified, String format, String keyFingerprint, Digest signed,
                              String signedReference, Failure failure, String reason) {

    /** The kinds of refusal, each a bounded label of {@code ocimount_policy_denied_total}. */
    public enum Failure {
        /** no signature was found at all */
        UNSIGNED("unsigned"),
        /** signatures were found, none verified with a trusted key over the right digest and type */
        BAD_SIGNATURE("bad_signature"),
        /** a signature verified but names a repository signedIdentity does not accept */
        IDENTITY("identity");

        public final String label;

        Failure(String label) {
            this.label = label;
        }
    }

    public static SignatureResult verified(String format, String keyFingerprint, Digest signed) {
        return verified(format, keyFingerprint, signed, null);
    }

    public static SignatureResult verified(String format, String keyFingerprint, Digest signed, String signedReference) {
        return new SignatureResult(true, format, keyFingerprint, signed, signedReference, null, null);
    }

    public static SignatureResult refused(Failure failure, String reason) {
        return new SignatureResult(false, null, null, null, null, failure, reason);
    }
}
