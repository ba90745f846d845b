package io.ocimount.registry;

import io.ocimount.oci.Json;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * docker credential helpers (docker/docker-credential-helpers): {@code docker-credential-<name> get}, found in the
 * search path, with the server URL on stdin, printing {@code {"ServerURL", "Username", "Secret"}}. A
 * {@code Username} of {@code <token>} means {@code Secret} is an identity token. A helper that exits non-zero
 * (its "credentials not found in native keychain") has none; one that cannot be found, times out (and is killed)
 * or prints something else is logged as a warning naming the helper and the registry, never what it printed.
 */
public final class CredentialHelpers {
    private static final Logger LOG = Logger.getLogger(CredentialHelpers.class.getName());
    private final List<Path> searchPath;
    private final Duration timeout;

    /** @param searchPath the directories to look for {@code docker-credential-<name>} in, like {@code $PATH} */
    public CredentialHelpers(List<Path> searchPath, Duration timeout) {
        this.searchPath = List.copyOf(searchPath);
        this.timeout = timeout;
    }

    /** {@code $PATH} as directories. */
    public static List<Path> systemPath() {
        String path = System.getenv("PATH");
        return (path == null ? List.<String>of() : List.of(path.split(File.pathSeparator))).stream()
                .filter(s -> !s.isEmpty()).map(Path::of).toList();
    }

    /** What helper {@code name} has for {@code registry} (host[:port]); empty when it has nothing or failed. */
    public Optional<Credentials> get(String name, String registry) {
        String what = "docker credential helper \"" + name + "\" for " + registry;
        if (name.isEmpty() || name.contains("/")) {
            LOG.warning(what + ": not a helper name; going on without it");
            return Optional.empty();
        }
        Optional<Path> program = searchPath.stream().map(d -> d.resolve("docker-credential-" + name))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
        if (program.isEmpty()) {
            LOG.warning(what + ": docker-credential-" + name + " is not in " + searchPath + "; going on without it");
            return Optional.empty();
        }
        String serverUrl = "docker.io".equals(registry) ? "https://index.docker.io/v1/" : registry;
        CredentialProcess.Result r;
        try {
            r = CredentialProcess.run(program.get(), List.of("get"), Map.of(),
                    serverUrl.getBytes(StandardCharsets.UTF_8), timeout);
        } catch (CredentialProcess.TimedOut e) {
            LOG.warning(what + " " + e.getMessage() + "; going on without it");
            return Optional.empty();
        } catch (IOException e) {
            LOG.warning(what + " could not be run: " + e.getMessage() + "; going on without it");
            return Optional.empty();
        }
        if (r.exitCode() != 0) {
            return Optional.empty(); // "credentials not found": the helper's way of saying it has none
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(new String(r.stdout(), StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            n = null;
        }
        if (n == null || !n.isObject() || !n.path("Username").isString() || !n.path("Secret").isString()) {
            LOG.warning(what + " printed no {ServerURL, Username, Secret} object; going on without it");
            return Optional.empty();
        }
        String user = n.get("Username").asString();
        String secret = n.get("Secret").asString();
        return Optional.of("<token>".equals(user)
                ? new Credentials(registry, "", "", secret, "")
                : new Credentials(registry, user, secret, "", ""));
    }
}
