package io.ocimount.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One line of the audit file: a pull or a mount, who asked, what it resolved to, and what the policy decided.
 * Empty fields are left out; field names are stable (scripts read them).
 *
 * @param decision "allowed", "denied" (by the policy) or "failed" (anything else went wrong)
 * @param reason   why it was denied or failed
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AuditRecord(
        String time, String event, String caller,
        @JsonProperty("volume_id") String volumeId, String target,
        @JsonProperty("pod_namespace") String podNamespace, @JsonProperty("pod_name") String podName,
        @JsonProperty("pod_uid") String podUid, @JsonProperty("pod_service_account") String podServiceAccount,
        String reference, @JsonProperty("pull_policy") String pullPolicy, String decision,
        @JsonProperty("manifest_digest") String manifestDigest, @JsonProperty("image_id") String imageId,
        @JsonProperty("registry_host") String registryHost, @JsonProperty("policy_scope") String policyScope,
        @JsonProperty("rule_scope") String ruleScope, @JsonProperty("signature_format") String signatureFormat,
        @JsonProperty("signature_key") String signatureKey, @JsonProperty("signed_digest") String signedDigest,
        String reason, @JsonProperty("tag_moved_from") String tagMovedFrom) {

    /**
     * @param trust what the policy knew or verified, or null when the pull failed before it decided
     */
    public static AuditRecord of(Instant time, String event, Requester who, String reference, String decision,
                                 String manifestDigest, String imageId, Trust trust, String reason, String tagMovedFrom) {
        Trust t = trust != null ? trust : new Trust(null, null, null, null, null, null, null);
        return new AuditRecord(time.toString(), event, who.caller(), who.volumeId(), who.target(), who.podNamespace(),
                who.podName(), who.podUid(), who.podServiceAccount(), reference, who.pullPolicy(), decision,
                manifestDigest, imageId, t.host(), t.scope(), t.ruleScope(), t.signatureFormat(), t.keyFingerprint(),
                t.signedDigest() == null ? null : t.signedDigest().toString(), reason, tagMovedFrom);
    }

    /** The record as one log line: the same facts, shorter. */
    public String summary() {
        StringBuilder b = new StringBuilder("audit ").append(event).append(' ').append(decision).append(" by ")
                .append(caller).append(": ").append(reference);
        append(b, "digest", manifestDigest);
        append(b, "volume", volumeId);
        append(b, "target", target);
        append(b, "pod", podName == null || podName.isEmpty() ? null : podNamespace + "/" + podName);
        append(b, "host", registryHost);
        append(b, "scope", policyScope);
        append(b, "signature", signatureKey == null ? null : signatureFormat + " " + signatureKey);
        append(b, "tag moved from", tagMovedFrom);
        append(b, "reason", reason);
        return b.toString();
    }

    private static void append(StringBuilder b, String name, String value) {
        if (value != null && !value.isEmpty()) {
            b.append(' ').append(name).append('=').append(value);
        }
    }
}
