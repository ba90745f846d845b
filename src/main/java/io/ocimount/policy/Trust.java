package io.ocimount.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.ocimount.oci.Digest;

/**
 * Why an image was let in, kept in its record: a later mount of the stored image is checked against the policy of
 * that time with it (a key no longer trusted, or a scope that now rejects, refuses the mount) without the registry.
 *
 * @param scope           the containers-policy.json scope that applied ("default" for the default)
 * @param ruleScope       the scope of the config.toml rule that applied, or null
 * @param host            the registry host that served the manifest
 * @param signatureFormat "cosign-simplesigning" or "sigstore-bundle" when a signature was verified, else null
 * @param keyFingerprint  the verifying key's fingerprint, else null
 * @param signedDigest    the digest the verified signature covers, else null
 * @param signedReference the repository the signature names, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Trust(String scope, String ruleScope, String host, String signatureFormat, String keyFingerprint,
                    Digest signedDigest, String signedReference) {

    public boolean signed() {
        return keyFingerprint != null;
    }
}
