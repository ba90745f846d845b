package io.ocimount.policy;

import io.ocimount.policy.signature.SignedIdentity;
import io.ocimount.policy.signature.TrustedKey;
import java.util.List;

/** One requirement of a containers-policy.json scope; every requirement of the matched scope must pass. */
public sealed interface Requirement {

    /** {@code insecureAcceptAnything}: no check at all. */
    record AcceptAnything() implements Requirement {
    }

    /** {@code reject}: nothing in this scope may be pulled. */
    record Reject() implements Requirement {
    }

    /**
     * {@code sigstoreSigned} with public keys: at least one signature by one of {@code keys} over the manifest
     * digest that will be pulled, whose signed identity {@code identity} accepts.
     */
    record SigstoreSigned(List<TrustedKey> keys, SignedIdentity identity) implements Requirement {
        public SigstoreSigned {
            keys = List.copyOf(keys);
        }
    }
}
