package io.ocimount.registry;

import io.ocimount.ref.Reference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * kubelet's credential provider plugins as one source. As kubelet's keyring does, every plugin whose
 * {@code matchImages} match the image is asked (in the config's order), their {@code auth} maps are put together
 * (a key a plugin earlier in the config already gave is kept), and the most specific key that matches the image
 * decides ({@link ImageGlob#mostSpecific}). The image a plugin is asked about is the repository without tag or
 * digest ({@code registry.example/team/app}), as kubelet sends it.
 */
public final class KubeletCredentialProviders implements CredentialSource {
    private final List<CredentialProviderPlugin> plugins;

    public KubeletCredentialProviders(List<CredentialProviderPlugin> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    @Override
    public Optional<Credentials> lookup(Reference ref) {
        String image = ref.name();
        Map<String, Credentials> all = new LinkedHashMap<>();
        for (CredentialProviderPlugin p : plugins) {
            p.provide(image).forEach(all::putIfAbsent);
        }
        return ImageGlob.mostSpecific(all.keySet(), image).map(all::get)
                .map(c -> new Credentials(ref.domain(), c.username(), c.password(), "", ""));
    }
}
