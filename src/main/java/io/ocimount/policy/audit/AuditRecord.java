package io.ocimount.policy.audit;

import io.ocimount.policy.Trust;
import io.ocimount.policy.VerifiedSignature;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.ocimount.errdefs.Quote;
import java.time.Instant;
import java.util.List;

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
    /** Room for any valid reference, path or reason ocimount writes; a caller's longer text is cut. */
    static final int MAX_FIELD_CHARS = 4096;

    /**
     * @param trust what the policy knew or verified, or null when the pull failed before it decided
     */
    public static AuditRecord of(Instant time, String event, Requester who, String reference, String decision,
                                 String manifestDigest, String imageId, Trust trust, String reason, String tagMovedFrom) {
        Trust t = trust != null ? trust : new Trust(null, null, null, null, List.of());
        return new AuditRecord(time.toString(), event, who.caller(), clean(who.volumeId()), clean(who.target()),
                clean(who.podNamespace()), clean(who.podName()), clean(who.podUid()), clean(who.podServiceAccount()),
                clean(reference), who.pullPolicy(), decision, manifestDigest, imageId, t.host(), t.scope(), t.ruleScope(),
                t.signatureField(VerifiedSignature::format), t.signatureField(VerifiedSignature::keyFingerprint),
                t.signatureField(s -> s.signedDigest().toString()), clean(reason), tagMovedFrom);
    }

    /**
     * A caller's text (an image reference that failed to parse, a volume id, a pod field) made safe for a log line
     * and bounded: it would otherwise forge log lines, or flush the audit files with one huge request.
     */
    static String clean(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return text.length() <= MAX_FIELD_CHARS ? Quote.visible(text)
                : Quote.visible(text.substring(0, MAX_FIELD_CHARS)) + "…(" + text.length() + " characters)";
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
