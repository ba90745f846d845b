package io.ocimount.registry;

import io.ocimount.ref.Reference;
import java.util.Optional;

/**
 * One place a node keeps registry credentials (kubelet credential provider plugins, a docker config.json). A
 * {@link CredentialChain} asks them in order; empty means "none here, ask the next".
 */
public interface CredentialSource {
    Optional<Credentials> lookup(Reference ref);
}
