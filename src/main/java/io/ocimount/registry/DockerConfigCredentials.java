package io.ocimount.registry;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Credentials from a docker {@code config.json} "auths" map, read on each pull so edits apply at once. */
public final class DockerConfigCredentials {
    private final Path file;

    public DockerConfigCredentials(Path file) {
        this.file = file;
    }

    public Credentials lookup(String registry) {
        if (file == null || !Files.isRegularFile(file)) {
            return Credentials.NONE;
        }
        try {
            return lookup(Json.parse(Files.readAllBytes(file), "docker config " + file), registry);
        } catch (IOException e) {
            throw OciMountException.invalid("read docker config " + file + ": " + e.getMessage());
        }
    }

    /**
     * The entry of a docker config document's "auths" map for {@code registry}: the same form as a
     * {@code kubernetes.io/dockerconfigjson} secret's {@code .dockerconfigjson}. NONE when no entry applies.
     */
    public static Credentials lookup(JsonNode config, String registry) {
        for (Map.Entry<String, JsonNode> e : config.path("auths").properties()) {
            String key = e.getKey();
            Credentials probe = new Credentials(key, "", "", "", "");
            if (probe.appliesTo(registry)) {
                JsonNode a = e.getValue();
                return Credentials.of(key, a.path("username").asString(""), a.path("password").asString(""),
                        a.path("auth").asString(""), a.path("identitytoken").asString(""),
                        a.path("registrytoken").asString(""));
            }
        }
        return Credentials.NONE;
    }
}
