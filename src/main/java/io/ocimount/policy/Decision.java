package io.ocimount.policy;

/**
 * A trust decision.
 *
 * @param allowed  whether the image may be pulled (or mounted)
 * @param trust    what let it in, or for a refusal what was known (the scopes, the host)
 * @param refusal  a short fixed word for metrics and audit ("reject", "unsigned", "bad_signature", "identity",
 *                 "digest_required", "too_large", "media_type"), null when allowed
 * @param reason   which rule refused and why, null when allowed
 */
public record Decision(boolean allowed, Trust trust, String refusal, String reason) {

    static Decision allow(Trust trust) {
        return new Decision(true, trust, null, null);
    }

    static Decision deny(Trust trust, String refusal, String reason) {
        return new Decision(false, trust, refusal, reason);
    }
}
