package io.ocimount.policy;

import io.ocimount.policy.signature.SignedIdentity;
import io.ocimount.ref.Reference;

/**
 * {@code matchRepository}: the signature must name the repository pulled from, whatever the tag. The one that fits
 * cosign signatures of images pulled from where they were signed; it does not stop a signed image of the same
 * repository being served under another tag.
 */
public record MatchRepository() implements SignedIdentity {

    @Override
    public boolean accepts(Reference pulled, Reference signed) {
        return pulled.name().equals(signed.name());
    }

    @Override
    public String describe() {
        return "matchRepository";
    }
}
