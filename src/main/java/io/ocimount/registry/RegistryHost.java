package io.ocimount.registry;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One endpoint that serves a registry namespace: the upstream itself or a mirror from hosts.toml.
 *
 * @param base         scheme://host[:port]/prefix, where prefix ends in /v2 unless override_path
 * @param namespace    the registry the reference names (sent as ?ns= to mirrors)
 * @param capabilities "pull" and/or "resolve" (only resolve hosts are trusted to map a tag to a digest)
 * @param upstream     true for the namespace's own server: only it receives the caller's credentials
 */
public record RegistryHost(URI base, String namespace, Set<String> capabilities, boolean skipVerify,
                           List<Path> caFiles, Map<String, List<String>> headers, boolean upstream) {

    public RegistryHost {
        capabilities = Set.copyOf(capabilities);
        caFiles = List.copyOf(caFiles);
        headers = Map.copyOf(headers);
    }

    public boolean canResolve() {
        return capabilities.contains("resolve");
    }

    public boolean canPull() {
        return capabilities.contains("pull");
    }

    /** The URL of {@code /<repository>/<kind>/<object>} on this host, with ?ns= for a mirror. */
    public URI endpoint(String repository, String kind, String object) {
        String prefix = base.getRawPath().endsWith("/") ? base.getRawPath().substring(0, base.getRawPath().length() - 1)
                : base.getRawPath();
        String query = upstream ? "" : "?ns=" + namespace;
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + prefix + "/" + repository + "/" + kind
                + "/" + object + query);
    }

    public String authority() {
        return base.getRawAuthority();
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
