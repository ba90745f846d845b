package io.ocimount.config;

import io.ocimount.registry.CredentialSettings;
import io.ocimount.registry.RegistrySettings;
import io.ocimount.image.CredentialVerification;
import io.ocimount.image.GcPolicy;
import io.ocimount.image.PinnedImages;
import io.ocimount.image.PullSettings;
import io.ocimount.oci.Platform;
import io.ocimount.policy.audit.AuditSettings;
import io.ocimount.policy.ImageRule;
import io.ocimount.policy.PolicySettings;
import io.ocimount.policy.Scopes;
import io.ocimount.unpack.LayerLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * The daemon's settings from {@code /etc/ocimount/config.toml}. A missing file means defaults; an unknown key or
 * a value of the wrong type stops the daemon with the key named, so a typo never silently becomes a default.
 */
public record DaemonConfig(Path root, Path stateDir, Path socket, Path hostsDir, Path dockerConfig,
                           int idleConnectionTimeoutSeconds, Platform platform, int maxConcurrentDownloads,
                           int maxLayers, long maxManifestBytes, long maxConfigBytes, long stallTimeoutSeconds,
                           long partialMaxAgeSeconds, LayerLimits layerLimits, String metricsAddress, String logLevel,
                           CsiSettings csi, GcPolicy gc, CredentialVerification credentialVerification,
                           CredentialSettings credentials, PolicySettings policy, AuditSettings audit) {

    public static final Path DEFAULT_CONFIG = Path.of("/etc/ocimount/config.toml");

    public static DaemonConfig defaults() {
        return new DaemonConfig(Path.of("/var/lib/ocimount"), Path.of("/run/ocimount"),
                Path.of("/run/ocimount/ocimount.sock"), Path.of("/etc/ocimount/certs.d"),
                Path.of("/root/.docker/config.json"), 30, Platform.host(), 3, 128, 4L << 20, 8L << 20, 60,
                PullSettings.DEFAULT_PARTIAL_MAX_AGE.toSeconds(), LayerLimits.defaults(), null, "info",
                CsiSettings.defaults(), GcPolicy.defaults(), CredentialVerification.NEVER_VERIFY_PRELOADED_IMAGES,
                CredentialSettings.defaults(), PolicySettings.defaults(), AuditSettings.defaults());
    }

    /** How the registry client behaves under this config: pulls by the daemon and pushes by {@code ocimount pack}. */
    public RegistrySettings registrySettings() {
        return new RegistrySettings(hostsDir, dockerConfig, 5, Duration.ofMillis(200),
                Duration.ofSeconds(60), maxManifestBytes, maxConfigBytes,
                Duration.ofSeconds(idleConnectionTimeoutSeconds), credentials);
    }

    /** How pulls behave under this config. */
    public PullSettings pullSettings() {
        return new PullSettings(platform, maxConcurrentDownloads, maxLayers, layerLimits,
                Duration.ofSeconds(stallTimeoutSeconds), Duration.ofSeconds(partialMaxAgeSeconds), credentialVerification);
    }

    /** Reads {@code file} over the defaults; a file that does not exist gives the defaults. */
    public static DaemonConfig load(Path file) {
        DaemonConfig d = defaults();
        if (file == null || !Files.exists(file)) {
            return d;
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(Files.readString(file));
        } catch (IOException | JacksonException e) {
            throw new ConfigException("config " + file + ": not valid TOML: " + firstLine(e.getMessage()));
        }
        Reader r = new Reader(file, root);
        DaemonConfig c = new DaemonConfig(
                r.path("root", d.root()), r.path("state_dir", d.stateDir()), r.path("socket", d.socket()),
                r.path("registry.config_path", d.hostsDir()), r.path("registry.docker_config", d.dockerConfig()),
                r.positiveInt("registry.idle_connection_timeout_seconds", d.idleConnectionTimeoutSeconds()),
                r.platform("platform", d.platform()),
                r.positiveInt("pull.max_concurrent_downloads", d.maxConcurrentDownloads()),
                r.positiveInt("pull.max_layers", d.maxLayers()),
                r.positiveLong("pull.max_manifest_bytes", d.maxManifestBytes()),
                r.positiveLong("pull.max_config_bytes", d.maxConfigBytes()),
                r.positiveLong("pull.stall_timeout_seconds", d.stallTimeoutSeconds()),
                r.positiveLong("pull.partial_max_age_seconds", d.partialMaxAgeSeconds()),
                new LayerLimits(r.positiveLong("unpack.max_layer_bytes", d.layerLimits().maxBytes()),
                        r.positiveLong("unpack.max_entries", d.layerLimits().maxEntries()),
                        r.positiveInt("unpack.max_path_length", d.layerLimits().maxPathLength()),
                        r.positiveInt("unpack.max_xattr_bytes", d.layerLimits().maxXattrBytes())),
                r.loopbackAddress("metrics_address", d.metricsAddress()),
                r.oneOf("log_level", d.logLevel(), List.of("debug", "info", "warn", "error")),
                new CsiSettings(r.path("csi.socket", d.csi().socket()),
                        r.dnsName("csi.driver_name", d.csi().driverName()),
                        r.string("csi.node_id", d.csi().nodeId()),
                        r.path("csi.registration_dir", d.csi().registrationDir())),
                r.gcPolicy(d.gc()),
                CredentialVerification.parse(r.oneOf("pull.credential_verification", d.credentialVerification().configName(),
                        Arrays.stream(CredentialVerification.values()).map(CredentialVerification::configName).toList())),
                r.credentials(d.credentials()),
                new PolicySettings(r.path("policy.json_path", d.policy().jsonPath()), r.imageRules("policy.rules")),
                new AuditSettings(r.path("audit.path", d.audit().path()),
                        r.positiveLong("audit.max_bytes", d.audit().maxBytes()),
                        (int) r.nonNegativeAtMost("audit.keep", d.audit().keep(), 100)));
        r.rejectUnknown();
        return c;
    }

    /** This config with the CSI socket of {@code --csi-socket}, when given. */
    public DaemonConfig withCsiSocket(Path csiSocket) {
        return new DaemonConfig(root, stateDir, socket, hostsDir, dockerConfig, idleConnectionTimeoutSeconds, platform,
                maxConcurrentDownloads, maxLayers, maxManifestBytes, maxConfigBytes, stallTimeoutSeconds,
                partialMaxAgeSeconds, layerLimits, metricsAddress, logLevel, csi.withSocket(csiSocket), gc, credentialVerification,
                credentials, policy, audit);
    }

    /** This config writing its audit records to {@code file} (tests keep them out of /var/log). */
    public DaemonConfig withAuditFile(Path file) {
        return new DaemonConfig(root, stateDir, socket, hostsDir, dockerConfig, idleConnectionTimeoutSeconds, platform,
                maxConcurrentDownloads, maxLayers, maxManifestBytes, maxConfigBytes, stallTimeoutSeconds,
                partialMaxAgeSeconds, layerLimits, metricsAddress, logLevel, csi, gc, credentialVerification, credentials,
                policy, new AuditSettings(file, audit.maxBytes(), audit.keep()));
    }

    public DaemonConfig withPaths(Path newRoot, Path newStateDir, Path newSocket) {
        return new DaemonConfig(newRoot != null ? newRoot : root, newStateDir != null ? newStateDir : stateDir,
                newSocket != null ? newSocket : (newStateDir != null && socket.equals(defaults().socket())
                        ? newStateDir.resolve("ocimount.sock") : socket),
                hostsDir, dockerConfig, idleConnectionTimeoutSeconds, platform, maxConcurrentDownloads, maxLayers,
                maxManifestBytes, maxConfigBytes, stallTimeoutSeconds, partialMaxAgeSeconds, layerLimits, metricsAddress,
                logLevel, csi, gc, credentialVerification, credentials, policy, audit);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** A bad config file: the message names the file, the key and the reason. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConfigException(String message) {
            super(message);
        }
    }

    /** Typed access by dotted key, remembering which keys were read so the rest can be refused. */
    private static final class Reader {
        private static final Set<String> TABLES = Set.of("registry", "pull", "unpack", "csi", "gc", "policy", "audit");
        private final Path file;
        private final JsonNode root;
        private final Set<String> known = new LinkedHashSet<>();
        /** What keys are below: "" for the file, "policy.rules[0]." for a table in an array. */
        private final String prefix;

        Reader(Path file, JsonNode root) {
            this(file, root, "");
        }

        private Reader(Path file, JsonNode root, String prefix) {
            this.file = file;
            this.root = root;
            this.prefix = prefix;
        }

        private JsonNode node(String key) {
            known.add(key);
            JsonNode n = root;
            for (String part : key.split("\\.")) {
                n = n == null ? null : n.get(part);
            }
            return n;
        }

        private ConfigException bad(String key, String why) {
            return new ConfigException("config " + file + ": key \"" + prefix + key + "\" " + why);
        }

        String string(String key, String dflt) {
            JsonNode n = node(key);
            if (n == null) {
                return dflt;
            }
            if (!n.isString() || n.stringValue().isBlank()) {
                throw bad(key, "must be a non-empty string");
            }
            return n.stringValue();
        }

        Path path(String key, Path dflt) {
            String s = string(key, null);
            if (s == null) {
                return dflt;
            }
            Path p = Path.of(s);
            if (!p.isAbsolute()) {
                throw bad(key, "must be an absolute path, got \"" + s + "\"");
            }
            return p;
        }

        Platform platform(String key, Platform dflt) {
            String s = string(key, null);
            if (s == null) {
                return dflt;
            }
            try {
                return Platform.parse(s);
            } catch (RuntimeException e) {
                throw bad(key, "is not os/arch[/variant]: \"" + s + "\"");
            }
        }

        long positiveLong(String key, long dflt) {
            JsonNode n = node(key);
            if (n == null) {
                return dflt;
            }
            if (!n.isIntegralNumber() || n.longValue() <= 0) {
                throw bad(key, "must be a positive integer");
            }
            return n.longValue();
        }

        long nonNegativeLong(String key, long dflt) {
            JsonNode n = node(key);
            if (n == null) {
                return dflt;
            }
            if (!n.isIntegralNumber() || n.longValue() < 0) {
                throw bad(key, "must be an integer of 0 or more");
            }
            return n.longValue();
        }

        long nonNegativeAtMost(String key, long dflt, long max) {
            long v = nonNegativeLong(key, dflt);
            if (v > max) {
                throw bad(key, "must be at most " + max);
            }
            return v;
        }

        int percent(String key, int dflt) {
            long v = nonNegativeLong(key, dflt);
            if (v > 100) {
                throw bad(key, "must be a percentage from 0 to 100");
            }
            return (int) v;
        }

        List<String> strings(String key, List<String> dflt) {
            JsonNode n = node(key);
            if (n == null) {
                return dflt;
            }
            List<String> out = new ArrayList<>();
            if (n.isArray()) {
                for (JsonNode e : n) {
                    if (!e.isString() || e.stringValue().isBlank()) {
                        out = null;
                        break;
                    }
                    out.add(e.stringValue());
                }
            }
            if (!n.isArray() || out == null) {
                throw bad(key, "must be a list of non-empty strings");
            }
            return out;
        }

        /** The [gc] table: marks as kubelet's image GC thresholds, ages in seconds, pinned images as patterns. */
        GcPolicy gcPolicy(GcPolicy d) {
            int high = percent("gc.high_percent", d.highPercent());
            int low = percent("gc.low_percent", d.lowPercent());
            long maxAge = nonNegativeLong("gc.max_age_seconds", d.maxAge().toSeconds());
            long minAge = nonNegativeLong("gc.min_age_seconds", d.minAge().toSeconds());
            long century = 100L * 365 * 24 * 3600; // beyond that a duration in milliseconds overflows soon after
            for (String[] age : new String[][] {{"gc.max_age_seconds", Long.toString(maxAge)},
                    {"gc.min_age_seconds", Long.toString(minAge)}}) {
                if (Long.parseLong(age[1]) > century) {
                    throw bad(age[0], "must be at most " + century + " (a hundred years)");
                }
            }
            if (high < 1) {
                throw bad("gc.high_percent", "must be a percentage from 1 to 100 (100 turns collection by disk use off)");
            }
            if (low > high) {
                throw bad("gc.low_percent", "(" + low + ") must not be above gc.high_percent (" + high + ")");
            }
            PinnedImages pinned;
            try {
                pinned = new PinnedImages(strings("gc.pinned", d.pinned().patterns()));
            } catch (IllegalArgumentException e) {
                throw bad("gc.pinned", "has a bad entry: " + e.getMessage());
            }
            return new GcPolicy(high, low, Duration.ofSeconds(maxAge), Duration.ofSeconds(minAge), pinned);
        }

        int positiveInt(String key, int dflt) {
            long v = positiveLong(key, dflt);
            if (v > Integer.MAX_VALUE) {
                throw bad(key, "is too large");
            }
            return (int) v;
        }

        /** "host:port" on a loopback host: metrics are for the node's own scraper, never the network. */
        String loopbackAddress(String key, String dflt) {
            String s = string(key, dflt);
            if (s == null) {
                return null;
            }
            int colon = s.lastIndexOf(':');
            String host = colon < 0 ? "" : s.substring(0, colon).replace("[", "").replace("]", "");
            if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
                throw bad(key, "must be 127.0.0.1:PORT (a loopback address), got \"" + s + "\"");
            }
            try {
                int port = Integer.parseInt(s.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw bad(key, "has no valid port: \"" + s + "\"");
            }
            return s;
        }

        /**
         * A CSI driver name: at most 63 characters of letters, digits, '-' and '.', with a letter at both ends (the
         * spec allows digits there; csi-sanity does not).
         */
        String dnsName(String key, String dflt) {
            String s = string(key, dflt);
            if (!s.matches("[a-zA-Z]([a-zA-Z0-9.-]{0,61}[a-zA-Z])?")) {
                throw bad(key, "must be a domain-style name of at most 63 characters starting and ending with a letter,"
                        + " got \"" + s + "\"");
            }
            return s;
        }

        /** The kubelet credential provider keys: the config file and the bin dir go together, or both stay unset. */
        CredentialSettings credentials(CredentialSettings dflt) {
            Path config = path("registry.credential_provider_config", dflt.providerConfig());
            Path binDir = path("registry.credential_provider_bin_dir", dflt.providerBinDir());
            long timeout = positiveLong("registry.credential_provider_timeout_seconds", dflt.execTimeout().toSeconds());
            if ((config == null) != (binDir == null)) {
                throw bad(config == null ? "registry.credential_provider_config" : "registry.credential_provider_bin_dir",
                        "must be set too: the plugins' config and their bin dir go together");
            }
            return new CredentialSettings(config, binDir, Duration.ofSeconds(timeout), dflt.helperPath());
        }

        /**
         * {@code [[policy.rules]]}: each a table with a scope and at least one condition; an unknown key in one stops
         * the daemon like any other.
         */
        List<ImageRule> imageRules(String key) {
            JsonNode n = node(key);
            if (n == null) {
                return List.of();
            }
            if (!n.isArray()) {
                throw bad(key, "must be an array of tables ([[policy.rules]])");
            }
            Set<String> fields = Set.of("scope", "require_digest", "max_size_bytes", "allowed_artifact_types",
                    "allowed_layer_media_types");
            List<ImageRule> rules = new ArrayList<>();
            Set<String> scopes = new LinkedHashSet<>();
            for (int i = 0; i < n.size(); i++) {
                JsonNode t = n.get(i);
                String at = prefix + key + "[" + i + "]";
                if (!t.isObject()) {
                    throw bad(at, "must be a table");
                }
                for (Map.Entry<String, JsonNode> f : t.properties()) {
                    if (!fields.contains(f.getKey())) {
                        throw bad(at + "." + f.getKey(), "is not a rule key (" + String.join(", ",
                                new java.util.TreeSet<>(fields)) + ")");
                    }
                }
                Reader rule = new Reader(file, t, at + ".");
                String scope = rule.string("scope", null);
                if (scope == null) {
                    throw bad(at + ".scope", "is required");
                }
                String invalid = Scopes.whyInvalid(scope);
                if (invalid != null) {
                    throw bad(at + ".scope", invalid);
                }
                if (!scopes.add(scope)) {
                    throw bad(at + ".scope", "repeats scope \"" + scope + "\": one rule per scope");
                }
                JsonNode digest = t.get("require_digest");
                if (digest != null && !digest.isBoolean()) {
                    throw bad(at + ".require_digest", "must be true or false");
                }
                ImageRule r = new ImageRule(scope, digest != null && digest.booleanValue(),
                        rule.nonNegativeLong("max_size_bytes", 0),
                        rule.strings("allowed_artifact_types", List.of()), rule.strings("allowed_layer_media_types", List.of()));
                if (!r.requireDigest() && r.maxSizeBytes() == 0 && r.allowedArtifactTypes().isEmpty()
                        && r.allowedLayerMediaTypes().isEmpty()) {
                    throw bad(at, "sets no condition (require_digest, max_size_bytes, allowed_artifact_types,"
                            + " allowed_layer_media_types)");
                }
                rules.add(r);
            }
            return rules;
        }

        String oneOf(String key, String dflt, List<String> allowed) {
            String s = string(key, dflt);
            if (!allowed.contains(s)) {
                throw bad(key, "must be one of " + allowed + ", got \"" + s + "\"");
            }
            return s;
        }

        void rejectUnknown() {
            List<String> unknown = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                if (TABLES.contains(e.getKey()) && e.getValue().isObject()) {
                    for (Map.Entry<String, JsonNode> inner : e.getValue().properties()) {
                        String k = e.getKey() + "." + inner.getKey();
                        if (!known.contains(k)) {
                            unknown.add(k);
                        }
                    }
                } else if (!known.contains(e.getKey())) {
                    unknown.add(e.getKey());
                }
            }
            if (!unknown.isEmpty()) {
                throw new ConfigException("config " + file + ": unknown key \"" + unknown.get(0) + "\""
                        + (unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " more)" : ""));
            }
        }
    }
}
