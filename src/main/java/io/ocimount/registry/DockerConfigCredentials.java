package io.ocimount.registry;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Json;
import io.ocimount.ref.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Credentials from a docker {@code config.json}, read on each pull so edits apply at once: the {@code auths} entry
 * for the registry when it holds credentials, else the helper {@code credHelpers} names for the registry, else the
 * {@code credsStore} helper. (docker itself asks a registry's {@code credHelpers} entry before {@code auths}; an
 * {@code auths} entry without credentials, as docker writes beside a helper, is passed over here too.)
 */
public final class DockerConfigCredentials implements CredentialSource {
    private final Path file;
    private final CredentialHelpers helpers;

    public DockerConfigCredentials(Path file, CredentialHelpers helpers) {
        this.file = file;
        this.helpers = helpers;
    }

    @Override
    public Optional<Credentials> lookup(Reference ref) {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode config;
        try {
            config = Json.parse(Files.readAllBytes(file), "docker config " + file);
        } catch (IOException e) {
            throw OciMountException.invalid("read docker config " + file + ": " + e.getMessage());
        }
        String registry = ref.domain();
        Credentials inAuths = lookup(config, registry);
        if (!inAuths.isEmpty()) {
            return Optional.of(inAuths);
        }
        Optional<String> helper = entryFor(config.path("credHelpers"), registry).map(h -> h.getValue().asString(""));
        if (helper.isPresent()) {
            return helpers.get(helper.get(), registry);
        }
        String store = config.path("credsStore").asString("");
        return store.isEmpty() ? Optional.empty() : helpers.get(store, registry);
    }

    /**
     * The entry of a docker config document's "auths" map for {@code registry}: the same form as a
     * {@code kubernetes.io/dockerconfigjson} secret's {@code .dockerconfigjson}. NONE when no entry applies.
     */
    public static Credentials lookup(JsonNode config, String registry) {
        return entryFor(config.path("auths"), registry).map(e -> {
            JsonNode a = e.getValue();
            return Credentials.of(e.getKey(), a.path("username").asString(""), a.path("password").asString(""),
                    a.path("auth").asString(""), a.path("identitytoken").asString(""), a.path("registrytoken").asString(""));
        }).orElse(Credentials.NONE);
    }

    /** The value of the first key of {@code map} that names {@code registry} (a host, or a URL such as https://index.docker.io/v1/). */
    private static Optional<Map.Entry<String, JsonNode>> entryFor(JsonNode map, String registry) {
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (new Credentials(e.getKey(), "", "", "", "").appliesTo(registry)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }
}
