package io.ocimount.registry;

import io.ocimount.ref.Reference;
import java.util.List;

/**
 * The distribution-API client façade: one shared HTTP stack and token cache; a {@link RegistrySession} per pull
 * binds a reference to its hosts and credentials.
 */
public final class RegistryClient {
    private final HostsConfig hosts;
    private final DockerConfigCredentials dockerCredentials;
    private final ManifestFetcher manifests;
    private final BlobFetcher blobs;
    private final RegistryTransport transport;
    private final long maxConfigBytes;

    /**
     * @param hosts             where each registry is reached (hosts.toml mirrors first)
     * @param dockerCredentials credentials for a registry the caller gave none for
     * @param transport         the one HTTP stack with its token cache and retry budgets, which the endpoints share
     */
    public RegistryClient(HostsConfig hosts, DockerConfigCredentials dockerCredentials, RegistryTransport transport,
                          ManifestFetcher manifests, BlobFetcher blobs, long maxConfigBytes) {
        this.hosts = hosts;
        this.dockerCredentials = dockerCredentials;
        this.transport = transport;
        this.manifests = manifests;
        this.blobs = blobs;
        this.maxConfigBytes = maxConfigBytes;
    }

    /**
     * A session for pulling {@code ref}. The caller's credentials apply when they name this registry (or none);
     * otherwise the docker config.json entry for it, if any.
     */
    public RegistrySession session(Reference ref, Credentials requested) {
        List<RegistryHost> list = hosts.hostsFor(ref.domain());
        return new RegistrySession(ref, list, credentials(ref, requested), manifests, blobs, maxConfigBytes);
    }

    /**
     * A pusher to {@code ref}'s repository: on the first hosts.toml host with the push capability, else on the
     * registry's own server (mirrors are for pulls).
     */
    public Pusher pusher(Reference ref, Credentials requested) {
        List<RegistryHost> list = hosts.hostsFor(ref.domain());
        RegistryHost host = list.stream().filter(h -> h.capabilities().contains("push")).findFirst()
                .orElseGet(() -> list.stream().filter(RegistryHost::upstream).findFirst()
                        .orElse(HostsConfig.defaultHost(ref.domain())));
        return new Pusher(ref, host, credentials(ref, requested), transport);
    }

    private Credentials credentials(Reference ref, Credentials requested) {
        return requested != null && !requested.isEmpty() && requested.appliesTo(ref.domain())
                ? requested : dockerCredentials.lookup(ref.domain());
    }
}
