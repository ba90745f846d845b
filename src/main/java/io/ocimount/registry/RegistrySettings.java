package io.ocimount.registry;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the registry client behaves. {@code maxManifestBytes} follows containerd's 4 MiB cap; configs may be larger
 * (long histories) but are still bounded so a hostile registry cannot exhaust memory. {@code idleConnectionTimeout}
 * closes pooled connections nobody uses (the JDK's default keeps them 20 minutes). {@code credentials}: kubelet
 * credential provider plugins and docker credential helpers.
 */
public record RegistrySettings(Path hostsDir, Path dockerConfig, int maxAttempts, Duration baseBackoff,
                               Duration requestTimeout, long maxManifestBytes, long maxConfigBytes,
                               Duration idleConnectionTimeout, CredentialSettings credentials) {
    public static RegistrySettings defaults() {
        return new RegistrySettings(null, null, 5, Duration.ofMillis(200), Duration.ofSeconds(60),
                4L * 1024 * 1024, 8L * 1024 * 1024, Duration.ofSeconds(30),
                CredentialSettings.defaults());
    }

    public RegistrySettings withBackoff(Duration base) {
        return new RegistrySettings(hostsDir, dockerConfig, maxAttempts, base, requestTimeout, maxManifestBytes,
                maxConfigBytes, idleConnectionTimeout, credentials);
    }

    public RegistrySettings withDockerConfig(Path file) {
        return new RegistrySettings(hostsDir, file, maxAttempts, baseBackoff, requestTimeout, maxManifestBytes,
                maxConfigBytes, idleConnectionTimeout, credentials);
    }

    public RegistrySettings withCredentials(CredentialSettings c) {
        return new RegistrySettings(hostsDir, dockerConfig, maxAttempts, baseBackoff, requestTimeout, maxManifestBytes,
                maxConfigBytes, idleConnectionTimeout, c);
    }
}
