package io.ocimount.registry;

import io.ocimount.errdefs.OciMountException;
import java.io.IOException;
import java.net.URI;
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
 * Reads containerd-style {@code <config_path>/<host>/hosts.toml}: mirrors in file order, then {@code server}.
 * Without a file a registry is reached at https://host/v2 (registry-1.docker.io for docker.io), or plain http for
 * a loopback address; plain http elsewhere only when hosts.toml names an http:// URL.
 */
public final class HostsConfig {
    private static final TomlMapper TOML = new TomlMapper();
    private static final Set<String> PULL_AND_RESOLVE = Set.of("pull", "resolve");
    private final Path configPath;

    /** @param configPath the certs.d directory; null means no hosts.toml files at all */
    public HostsConfig(Path configPath) {
        this.configPath = configPath;
    }

    public List<RegistryHost> hostsFor(String namespace) {
        Path file = findFile(namespace);
        if (file == null) {
            return List.of(defaultHost(namespace));
        }
        return parse(namespace, file);
    }

    private Path findFile(String namespace) {
        if (configPath == null) {
            return null;
        }
        for (String dir : List.of(namespace, namespace.replace(':', '_') + "_", "_default")) {
            Path f = configPath.resolve(dir).resolve("hosts.toml");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    public static RegistryHost defaultHost(String namespace) {
        String authority = "docker.io".equals(namespace) ? "registry-1.docker.io" : namespace;
        String scheme = isLoopback(namespace) ? "http" : "https";
        return new RegistryHost(URI.create(scheme + "://" + authority + "/v2"), namespace, PULL_AND_RESOLVE, false,
                List.of(), Map.of(), true);
    }

    /** localhost, 127.0.0.0/8 or [::1], with any port. */
    public static boolean isLoopback(String authority) {
        String host = authority;
        if (host.startsWith("[")) {
            host = host.substring(1, host.indexOf(']'));
        } else if (host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        return "localhost".equals(host) || host.startsWith("127.") || "::1".equals(host);
    }

    List<RegistryHost> parse(String namespace, Path file) {
        JsonNode root;
        try {
            root = TOML.readTree(Files.readString(file));
        } catch (IOException | JacksonException e) {
            throw OciMountException.invalid("read " + file + ": " + e.getMessage());
        }
        List<RegistryHost> hosts = new ArrayList<>();
        JsonNode hostTable = root.get("host");
        if (hostTable != null && hostTable.isObject()) {
            for (Map.Entry<String, JsonNode> e : hostTable.properties()) {
                hosts.add(host(namespace, e.getKey(), e.getValue(), file, false));
            }
        }
        String server = root.has("server") ? root.get("server").asString()
                : defaultHost(namespace).base().getScheme() + "://" + defaultHost(namespace).authority();
        hosts.add(host(namespace, server, root, file, true));
        return hosts;
    }

    private RegistryHost host(String namespace, String url, JsonNode table, Path file, boolean upstream) {
        URI uri;
        try {
            uri = URI.create(url.contains("://") ? url : "https://" + url);
        } catch (IllegalArgumentException e) {
            throw OciMountException.invalid(file + ": invalid host URL \"" + url + "\"");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw OciMountException.invalid(file + ": host \"" + url + "\" must be http:// or https://");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        boolean overridePath = table.path("override_path").asBoolean(false);
        if (!overridePath && !path.endsWith("/v2")) {
            path = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/v2";
        }
        Set<String> caps = PULL_AND_RESOLVE;
        if (table.has("capabilities")) {
            List<String> list = new ArrayList<>();
            table.get("capabilities").forEach(c -> list.add(c.asString()));
            caps = Set.copyOf(list);
        }
        List<Path> cas = new ArrayList<>();
        JsonNode ca = table.get("ca");
        if (ca != null) {
            if (ca.isArray()) {
                ca.forEach(c -> cas.add(resolve(file, c.asString())));
            } else {
                cas.add(resolve(file, ca.asString()));
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        JsonNode header = table.get("header");
        if (header != null && header.isObject()) {
            for (Map.Entry<String, JsonNode> h : header.properties()) {
                List<String> values = new ArrayList<>();
                if (h.getValue().isArray()) {
                    h.getValue().forEach(v -> values.add(v.asString()));
                } else {
                    values.add(h.getValue().asString());
                }
                headers.put(h.getKey(), values);
            }
        }
        boolean isUpstream = upstream || uri.getRawAuthority().equals(namespace);
        return new RegistryHost(URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path), namespace, caps,
                table.path("skip_verify").asBoolean(false), cas, headers, isUpstream);
    }

    private static Path resolve(Path file, String ca) {
        Path p = Path.of(ca);
        return p.isAbsolute() ? p : file.getParent().resolve(p);
    }
}
