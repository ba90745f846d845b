package io.ocimount.policy;

import io.ocimount.policy.signature.SignedIdentity;
import io.ocimount.ref.Reference;

/**
 * {@code matchExact}: the signature must name exactly the reference pulled, tag or digest included. As in
 * containers/image, a signed name without tag or digest matches nothing, so no cosign signature (which names only a
 * repository) is ever accepted by it.
 */
public record MatchExact() implements SignedIdentity {

    @Override
    public boolean accepts(Reference pulled, Reference signed) {
        return !Identities.nameOnly(pulled) && !Identities.nameOnly(signed) && pulled.equals(signed);
    }

    @Override
    public String describe() {
        return "matchExact";
    }
}
