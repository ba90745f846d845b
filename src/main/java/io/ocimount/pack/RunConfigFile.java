package io.ocimount.pack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * A {@link RunConfig} from a small TOML file (pack's {@code --image-config}), its keys named as the flags:
 * <pre>
 * entrypoint = ["/opt/jre/bin/java", "-jar", "/app/app.jar"]
 * cmd = ["serve"]
 * env = ["JAVA_HOME=/opt/jre"]
 * workdir = "/app"
 * user = "65532:65532"
 * expose = ["8080/tcp"]
 * [labels]
 * "org.opencontainers.image.source" = "https://example.test/app"
 * </pre>
 * As with config.toml, an unknown key or a value of the wrong type is refused with the key named, so a typo never
 * silently drops a field from the image.
 */
public final class RunConfigFile {
    private static final Set<String> KEYS = Set.of("entrypoint", "cmd", "env", "workdir", "user", "labels", "expose");

    private RunConfigFile() {
    }

    public static RunConfig read(Path file) throws IOException {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("image config " + file + ": not valid TOML: "
                    + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse(""));
        }
        for (String key : root.propertyNames()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("image config " + file + ": unknown key \"" + key + "\" (known: "
                        + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            }
        }
        try {
            return new RunConfig(strings(root, "entrypoint"), strings(root, "cmd"), orEmpty(strings(root, "env")),
                    string(root, "workdir"), string(root, "user"), labels(root), orEmpty(strings(root, "expose")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("image config " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }

    private static String string(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null) {
            return null;
        }
        if (!n.isString()) {
            throw new IllegalArgumentException(key + ": give a string");
        }
        return n.asString();
    }

    private static List<String> strings(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            for (JsonNode s : n) {
                if (!s.isString()) {
                    throw new IllegalArgumentException(key + ": give an array of strings");
                }
                out.add(s.asString());
            }
            return out;
        }
        throw new IllegalArgumentException(key + ": give an array of strings");
    }

    private static Map<String, String> labels(JsonNode root) {
        JsonNode n = root.get("labels");
        if (n == null) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("labels: give a table of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : n.properties()) {
            if (!e.getValue().isString()) {
                throw new IllegalArgumentException("labels." + e.getKey() + ": give a string");
            }
            out.put(e.getKey(), e.getValue().asString());
        }
        return out;
    }
}
