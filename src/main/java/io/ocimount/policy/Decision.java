package io.ocimount.policy;

import io.ocimount.oci.Digest;

/**
 * A trust decision.
 *
 * @param allowed  whether the image may be pulled (or mounted)
 * @param resolved the digest the reference resolved to (for a stored image, the one it resolved to at its pull)
 * @param trust    what let it in, or for a refusal what was known (the scopes, the host)
 * @param refusal  a short fixed word for metrics and audit ("reject", "unsigned", "bad_signature", "identity",
 *                 "digest_required", "too_large", "media_type"), null when allowed
 * @param reason   which rule refused and why, null when allowed
 */
public record Decision(boolean allowed, Digest resolved, Trust trust, String refusal, String reason) {

    static Decision allow(Digest resolved, Trust trust) {
        return new Decision(true, resolved, trust, null, null);
    }

    static Decision deny(Digest resolved, Trust trust, String refusal, String reason) {
        return new Decision(false, resolved, trust, refusal, reason);
    }
}
