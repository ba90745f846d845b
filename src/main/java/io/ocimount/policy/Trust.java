package io.ocimount.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ocimount.oci.Digest;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Why an image was let in under one of its names, kept in its record per repository: a later mount of the stored
 * image is checked against the policy of that time with it (a key no longer trusted, or a scope that now rejects,
 * refuses the mount) without the registry.
 *
 * @param scope      the containers-policy.json scope that applied ("default" for the default)
 * @param ruleScope  the scope of the config.toml rule that applied, or null
 * @param host       the registry host that served the manifest
 * @param resolved   the digest the reference resolved to at that pull
 * @param signatures one verified signature per signature requirement of the scope, in the policy's order
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Trust(String scope, String ruleScope, String host, Digest resolved, List<VerifiedSignature> signatures) {

    public Trust {
        signatures = signatures == null ? List.of() : List.copyOf(signatures);
    }

    @JsonIgnore
    public boolean signed() {
        return !signatures.isEmpty();
    }

    /**
     * One field of the verified signatures, comma-separated in the policy's order (a scope may require several
     * signers), or null when none was verified: how audit records and {@code policy check} show them.
     */
    public String signatureField(Function<VerifiedSignature, String> field) {
        return signatures.isEmpty() ? null : signatures.stream().map(field).distinct().collect(Collectors.joining(","));
    }
}
