package io.ocimount.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where credentials come from besides the caller and the docker config.json.
 *
 * @param providerConfig kubelet's CredentialProviderConfig file, or null: no plugins
 * @param providerBinDir where the plugins' executables are (required with {@code providerConfig})
 * @param execTimeout    how long a plugin or a docker credential helper may run before it is killed
 * @param helperPath     where {@code docker-credential-<name>} is looked for; null means {@code $PATH}
 */
public record CredentialSettings(Path providerConfig, Path providerBinDir, Duration execTimeout, List<Path> helperPath) {
    public static final Duration DEFAULT_EXEC_TIMEOUT = Duration.ofSeconds(60);

    public static CredentialSettings defaults() {
        return new CredentialSettings(null, null, DEFAULT_EXEC_TIMEOUT, null);
    }

    public boolean pluginsEnabled() {
        return providerConfig != null;
    }
}
