package io.ocimount.image;

import io.ocimount.oci.Digest;
import io.ocimount.policy.Decision;

/** What {@code ocimount policy check} reports: the digest the reference resolved to, and the policy's decision. */
public record PolicyCheck(Digest resolved, Decision decision) {
}
