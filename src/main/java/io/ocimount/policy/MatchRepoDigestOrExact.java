package io.ocimount.policy;

import io.ocimount.policy.signature.SignedIdentity;
import io.ocimount.ref.Reference;

/**
 * {@code matchRepoDigestOrExact}, what a requirement without {@code signedIdentity} means: pulled by tag, the
 * signature must name exactly that tag; pulled by digest, a signed name with a tag or digest in the same repository
 * suffices (the digest itself is checked against the signature). As in containers/image, a signed name without tag
 * or digest matches nothing: cosign signatures name only a repository, so they need {@code matchRepository} or
 * {@code exactRepository}.
 */
public record MatchRepoDigestOrExact() implements SignedIdentity {

    @Override
    public boolean accepts(Reference pulled, Reference signed) {
        if (Identities.nameOnly(signed)) {
            return false;
        }
        if (pulled.tag() != null) {
            return pulled.equals(signed);
        }
        return pulled.digest() != null && pulled.name().equals(signed.name());
    }

    @Override
    public String describe() {
        return "matchRepoDigestOrExact";
    }
}
