package io.ocimount.registry;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * kubelet's {@code CredentialProviderConfig} ({@code --image-credential-provider-config}), YAML or JSON, read once
 * at start and strictly: an unknown field, a missing required one, a bad value or a provider whose executable is
 * not in the bin directory stops the daemon with the file and the field named (kubelet validates the same fields
 * and stats each binary at start).
 */
public final class CredentialProviderConfig {
    static final String API_VERSION = "kubelet.config.k8s.io/v1";
    /** The request versions kubelet speaks; their requests and responses have the same fields. */
    static final Set<String> REQUEST_VERSIONS = Set.of("credentialprovider.kubelet.k8s.io/v1",
            "credentialprovider.kubelet.k8s.io/v1beta1", "credentialprovider.kubelet.k8s.io/v1alpha1");
    private static final Set<String> TOP_FIELDS = Set.of("apiVersion", "kind", "providers");
    private static final Set<String> PROVIDER_FIELDS = Set.of("name", "matchImages", "defaultCacheDuration",
            "apiVersion", "args", "env");

    private CredentialProviderConfig() {
    }

    /**
     * One provider: the executable {@code <bin dir>/<name>} run with {@code args} and {@code env} for images that
     * match one of {@code matchImages}.
     */
    public record Provider(String name, Path executable, List<String> matchImages, Duration defaultCacheDuration,
                           String apiVersion, List<String> args, Map<String, String> env) {
    }

    /** The providers of {@code file}, in its order, with their executables in {@code binDir}. */
    public static List<Provider> read(Path file, Path binDir) {
        if (binDir == null) {
            throw OciMountException.invalid("credential provider config " + file + " needs a bin dir for its plugins");
        }
        JsonNode root;
        try {
            root = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build()
                    .readTree(Files.readString(file));
        } catch (IOException e) {
            throw bad(file, "", "cannot be read: " + e.getMessage());
        } catch (JacksonException e) {
            throw bad(file, "", "is not valid YAML or JSON" + Json.where(e)); // the message would quote the line: env may hold a secret
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "", "is not a CredentialProviderConfig object");
        }
        if (!Files.isDirectory(binDir)) {
            throw OciMountException.invalid("credential provider bin dir " + binDir + " is not a directory");
        }
        unknown(file, "", root, TOP_FIELDS);
        if (!API_VERSION.equals(root.path("apiVersion").asString(""))) {
            throw bad(file, "apiVersion", "must be \"" + API_VERSION + "\"");
        }
        if (!"CredentialProviderConfig".equals(root.path("kind").asString(""))) {
            throw bad(file, "kind", "must be \"CredentialProviderConfig\"");
        }
        JsonNode list = root.get("providers");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw bad(file, "providers", "must list at least one provider");
        }
        List<Provider> providers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            Provider p = provider(file, "providers[" + i + "]", list.get(i), binDir);
            if (!names.add(p.name())) {
                throw bad(file, "providers[" + i + "].name", "\"" + p.name() + "\" is listed twice");
            }
            providers.add(p);
        }
        return List.copyOf(providers);
    }

    private static Provider provider(Path file, String at, JsonNode n, Path binDir) {
        if (!n.isObject()) {
            throw bad(file, at, "must be an object");
        }
        unknown(file, at + ".", n, PROVIDER_FIELDS);
        String name = string(file, at + ".name", n.get("name"));
        if (name.contains("/") || name.contains(" ") || name.equals(".") || name.equals("..")) {
            throw bad(file, at + ".name", "must be a file name in the bin dir, got \"" + name + "\"");
        }
        List<String> matchImages = strings(file, at + ".matchImages", n.get("matchImages"), true);
        for (int j = 0; j < matchImages.size(); j++) {
            String m = matchImages.get(j);
            if (m.isBlank() || m.contains("://") || m.startsWith("/")) {
                throw bad(file, at + ".matchImages[" + j + "]", "must be [host][:port][/path], got \"" + m + "\"");
            }
        }
        JsonNode d = n.get("defaultCacheDuration");
        if (d == null) {
            throw bad(file, at + ".defaultCacheDuration", "is required (\"0s\" for no cache)");
        }
        Duration cache;
        try {
            cache = goDuration(d.isString() ? d.asString() : null);
        } catch (IllegalArgumentException e) {
            throw bad(file, at + ".defaultCacheDuration", "must be a duration such as \"12h\" or \"30m\" (" + e.getMessage() + ")");
        }
        if (cache.isNegative()) {
            throw bad(file, at + ".defaultCacheDuration", "must not be negative");
        }
        String apiVersion = string(file, at + ".apiVersion", n.get("apiVersion"));
        if (!REQUEST_VERSIONS.contains(apiVersion)) {
            throw bad(file, at + ".apiVersion", "must be one of " + new java.util.TreeSet<>(REQUEST_VERSIONS)
                    + ", got \"" + apiVersion + "\"");
        }
        List<String> args = n.has("args") ? strings(file, at + ".args", n.get("args"), false) : List.of();
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode e = n.get("env");
        if (e != null) {
            if (!e.isArray()) {
                throw bad(file, at + ".env", "must be a list of {name, value}");
            }
            for (int j = 0; j < e.size(); j++) {
                String where = at + ".env[" + j + "]";
                if (!e.get(j).isObject()) {
                    throw bad(file, where, "must be {name, value}");
                }
                unknown(file, where + ".", e.get(j), Set.of("name", "value"));
                env.put(string(file, where + ".name", e.get(j).get("name")),
                        e.get(j).has("value") ? text(file, where + ".value", e.get(j).get("value")) : "");
            }
        }
        Path executable = binDir.resolve(name);
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            throw bad(file, at + ".name", "plugin binary " + executable + " does not exist or is not executable");
        }
        return new Provider(name, executable, matchImages, cache, apiVersion, args, Map.copyOf(env));
    }

    private static void unknown(Path file, String prefix, JsonNode n, Set<String> known) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!known.contains(e.getKey())) {
                throw bad(file, prefix + e.getKey(), "is not a known field"
                        + (e.getKey().equals("tokenAttributes") ? " (service account tokens are not supported)" : ""));
            }
        }
    }

    private static String string(Path file, String at, JsonNode n) {
        String s = n == null ? null : text(file, at, n);
        if (s == null || s.isBlank()) {
            throw bad(file, at, "is required");
        }
        return s;
    }

    private static String text(Path file, String at, JsonNode n) {
        if (!n.isString()) {
            throw bad(file, at, "must be a string");
        }
        return n.asString();
    }

    private static List<String> strings(Path file, String at, JsonNode n, boolean required) {
        if (n == null || !n.isArray() || (required && n.isEmpty())) {
            throw bad(file, at, required ? "must list at least one entry" : "must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (int j = 0; j < n.size(); j++) {
            out.add(text(file, at + "[" + j + "]", n.get(j)));
        }
        return List.copyOf(out);
    }

    private static OciMountException bad(Path file, String field, String why) {
        return OciMountException.invalid("credential provider config " + file + ": "
                + (field.isEmpty() ? "" : "field \"" + field + "\" ") + why);
    }

    /**
     * A Go duration ({@code time.ParseDuration}, what {@code metav1.Duration} holds): an optional sign, then numbers
     * with units {@code ns}, {@code us}, {@code µs}, {@code ms}, {@code s}, {@code m}, {@code h}, e.g.
     * {@code 1h30m}, {@code 0.5s}; {@code 0} alone is zero.
     */
    static Duration goDuration(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        String rest = s;
        boolean negative = rest.startsWith("-");
        if (negative || rest.startsWith("+")) {
            rest = rest.substring(1);
        }
        if (rest.equals("0")) {
            return Duration.ZERO;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)")
                .matcher(rest);
        long nanos = 0;
        int at = 0;
        while (at < rest.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("invalid duration \"" + s + "\"");
            }
            java.math.BigDecimal v = new java.math.BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = Math.addExact(nanos, v.multiply(java.math.BigDecimal.valueOf(unit)).longValue());
            at = m.end();
        }
        return Duration.ofNanos(negative ? -nanos : nanos);
    }
}
