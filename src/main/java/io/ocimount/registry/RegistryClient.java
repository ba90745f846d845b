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
    private final RegistrySettings settings;
    private final RegistryTransport transport;

    public RegistryClient(RegistrySettings settings) {
        this.settings = settings;
        this.hosts = new HostsConfig(settings.hostsDir());
        this.dockerCredentials = new DockerConfigCredentials(settings.dockerConfig());
        HttpClients clients = new HttpClients(settings.idleConnectionTimeout());
        Authorizer authorizer = new Authorizer(new TokenFetcher(clients.forHost(HostsConfig.defaultHost("token"))));
        this.transport = new RegistryTransport(clients, authorizer, settings.maxAttempts(),
                settings.baseBackoff(), settings.requestTimeout());
        this.manifests = new ManifestFetcher(transport, settings.maxManifestBytes());
        this.blobs = new BlobFetcher(transport);
    }

    /**
     * A session for pulling {@code ref}. The caller's credentials apply when they name this registry (or none);
     * otherwise the docker config.json entry for it, if any.
     */
    public RegistrySession session(Reference ref, Credentials requested) {
        List<RegistryHost> list = hosts.hostsFor(ref.domain());
        return new RegistrySession(ref, list, credentials(ref, requested), manifests, blobs, settings.maxConfigBytes());
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
