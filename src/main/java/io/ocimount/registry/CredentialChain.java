package io.ocimount.registry;

import io.ocimount.ref.Reference;
import java.util.List;
import java.util.Optional;

/**
 * Which credentials a pull or push uses, first that applies wins:
 * <ol>
 * <li>the caller's (CRI {@code AuthConfig}, a CSI secret, {@code --creds}) when they are not empty and name this
 *     registry (or no registry);</li>
 * <li>kubelet credential provider plugins ({@code registry.credential_provider_config});</li>
 * <li>the docker config.json ({@code registry.docker_config}): {@code auths}, then {@code credHelpers[registry]},
 *     then {@code credsStore};</li>
 * <li>else anonymous.</li>
 * </ol>
 */
public final class CredentialChain {
    private final List<CredentialSource> sources;

    /** @param sources asked in this order when the caller's credentials do not apply */
    public CredentialChain(List<CredentialSource> sources) {
        this.sources = List.copyOf(sources);
    }

    public Credentials resolve(Reference ref, Credentials requested) {
        if (requested != null && !requested.isEmpty() && requested.appliesTo(ref.domain())) {
            return requested;
        }
        for (CredentialSource s : sources) {
            Optional<Credentials> found = s.lookup(ref).filter(c -> !c.isEmpty());
            if (found.isPresent()) {
                return found.get();
            }
        }
        return Credentials.NONE;
    }
}
