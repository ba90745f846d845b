package io.ocimount.registry;

import io.ocimount.ref.Reference;
import java.util.List;

/**
 * The distribution-API client façade: one shared HTTP stack and token cache; a {@link RegistrySession} per pull
 * binds a reference to its hosts and credentials.
 */
public final class RegistryClient {
    private final HostsConfig hosts;
    private final CredentialChain credentials;
    private final ManifestFetcher manifests;
    private final BlobFetcher blobs;
    private final RegistryTransport transport;
    private final long maxConfigBytes;

    /**
     * @param hosts             where each registry is reached (hosts.toml mirrors first)
     * @param credentials       which credentials a pull or push uses: the caller's, else the node's (plugins, config.json)
     * @param transport         the one HTTP stack with its token cache and retry budgets, which the endpoints share
     */
    public RegistryClient(HostsConfig hosts, CredentialChain credentials, RegistryTransport transport,
                          ManifestFetcher manifests, BlobFetcher blobs, long maxConfigBytes) {
        this.hosts = hosts;
        this.credentials = credentials;
        this.transport = transport;
        this.manifests = manifests;
        this.blobs = blobs;
        this.maxConfigBytes = maxConfigBytes;
    }

    /**
     * A session for pulling {@code ref}. The caller's credentials apply when they name this registry (or none);
     * otherwise the node's, in {@link CredentialChain}'s order.
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
        return credentials.resolve(ref, requested);
    }
}
