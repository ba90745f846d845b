package io.ocimount.registry;

import io.ocimount.oci.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One kubelet credential provider plugin ({@code credentialprovider.kubelet.k8s.io}), run and cached as kubelet's
 * pkg/credentialprovider/plugin does:
 * <ul>
 * <li>only for an image (registry/repository, no tag) that matches one of its {@code matchImages};</li>
 * <li>from the cache first: the entry for the image, then for its registry, then the global one;</li>
 * <li>else {@code <bin dir>/<name> args…} with the provider's env over the daemon's, a
 *     {@code CredentialProviderRequest} on stdin and a {@code CredentialProviderResponse} read from stdout; one run
 *     at a time per image (concurrent pulls of one image share it);</li>
 * <li>the response is cached under its {@code cacheKeyType} ({@code Image}: the image, {@code Registry}: the part
 *     before the first '/', {@code Global}: one entry) for its {@code cacheDuration}, or the provider's
 *     {@code defaultCacheDuration} when it has none; a duration of 0 is not cached.</li>
 * </ul>
 * A plugin that fails, prints something that is not a valid response, or runs past the timeout (and is killed)
 * gives no credentials, and a warning names the plugin, the image and the reason, never what it printed.
 */
public final class CredentialProviderPlugin {
    private static final Logger LOG = Logger.getLogger(CredentialProviderPlugin.class.getName());
    private static final String GLOBAL = "global";
    private static final Set<String> RESPONSE_FIELDS = Set.of("apiVersion", "kind", "cacheKeyType", "cacheDuration", "auth");

    private final CredentialProviderConfig.Provider provider;
    private final Duration timeout;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Map<String, Credentials>>> running = new ConcurrentHashMap<>();

    /** What a response said: pattern → credentials, until {@code expires}. */
    private record Entry(Map<String, Credentials> auth, Instant expires) {
    }

    /** A response that does not follow the API; the reason never quotes what the plugin printed. */
    private static final class BadResponse extends Exception {
        private static final long serialVersionUID = 1L;

        BadResponse(String message) {
            super(message);
        }
    }

    public CredentialProviderPlugin(CredentialProviderConfig.Provider provider, Duration timeout, Clock clock) {
        this.provider = provider;
        this.timeout = timeout;
        this.clock = clock;
    }

    public String name() {
        return provider.name();
    }

    /** Whether this plugin is asked about {@code image} (registry/repository). */
    boolean matches(String image) {
        return provider.matchImages().stream().anyMatch(g -> ImageGlob.matches(g, image));
    }

    /** The plugin's {@code auth} map for {@code image}, cached or fresh; empty when it does not match or failed. */
    Map<String, Credentials> provide(String image) {
        if (!matches(image)) {
            return Map.of();
        }
        Optional<Map<String, Credentials>> cached = cached(image);
        if (cached.isPresent()) {
            return cached.get();
        }
        CompletableFuture<Map<String, Credentials>> mine = new CompletableFuture<>();
        CompletableFuture<Map<String, Credentials>> shared = running.putIfAbsent(image, mine);
        if (shared != null) {
            return shared.join();
        }
        try {
            Map<String, Credentials> auth = exec(image);
            mine.complete(auth);
            return auth;
        } catch (RuntimeException e) {
            mine.complete(Map.of());
            throw e;
        } finally {
            running.remove(image, mine);
        }
    }

    private Optional<Map<String, Credentials>> cached(String image) {
        Instant now = clock.instant();
        cache.values().removeIf(e -> !now.isBefore(e.expires()));
        for (String key : new String[] {"image:" + image, "registry:" + registryOf(image), GLOBAL}) {
            Entry e = cache.get(key);
            if (e != null) {
                return Optional.of(e.auth());
            }
        }
        return Optional.empty();
    }

    /** kubelet's parseRegistry: everything before the first '/'. */
    static String registryOf(String image) {
        return image.split("/", 2)[0];
    }

    private Map<String, Credentials> exec(String image) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("apiVersion", provider.apiVersion());
        fields.put("kind", "CredentialProviderRequest");
        fields.put("image", image);
        byte[] request = Json.write(fields);
        CredentialProcess.Result result;
        try {
            result = CredentialProcess.run(provider.executable(), provider.args(), provider.env(), request, timeout);
        } catch (CredentialProcess.TimedOut e) {
            return failed(image, e.getMessage());
        } catch (IOException e) {
            return failed(image, "could not be run: " + e.getMessage());
        }
        if (result.exitCode() != 0) {
            return failed(image, "exited with status " + result.exitCode());
        }
        try {
            return remember(image, parse(result.stdout()));
        } catch (BadResponse e) {
            return failed(image, "printed an invalid CredentialProviderResponse: " + e.getMessage());
        }
    }

    private Map<String, Credentials> failed(String image, String why) {
        LOG.warning("credential provider plugin \"" + provider.name() + "\" for image " + image + " " + why
                + "; going on without its credentials");
        return Map.of();
    }

    private record Response(String cacheKeyType, Duration cacheDuration, Map<String, Credentials> auth) {
    }

    private Response parse(byte[] stdout) throws BadResponse {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(new String(stdout, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new BadResponse("not valid JSON"); // the parser's message may quote a secret
        }
        if (n == null || !n.isObject()) {
            throw new BadResponse("not a JSON object");
        }
        for (String field : n.propertyNames()) {
            if (!RESPONSE_FIELDS.contains(field)) {
                throw new BadResponse("an unknown field"); // not named: a plugin's output is never repeated
            }
        }
        if (!provider.apiVersion().equals(n.path("apiVersion").asString(""))) {
            throw new BadResponse("apiVersion is not \"" + provider.apiVersion() + "\" as the request's");
        }
        if (!"CredentialProviderResponse".equals(n.path("kind").asString(""))) {
            throw new BadResponse("kind is not \"CredentialProviderResponse\"");
        }
        String keyType = n.path("cacheKeyType").asString("");
        if (!Set.of("Image", "Registry", "Global").contains(keyType)) {
            throw new BadResponse("cacheKeyType must be Image, Registry or Global");
        }
        Duration duration = null;
        if (n.hasNonNull("cacheDuration")) {
            try {
                duration = CredentialProviderConfig.goDuration(n.get("cacheDuration").isString()
                        ? n.get("cacheDuration").asString() : null);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new BadResponse("cacheDuration is not a duration");
            }
        }
        Map<String, Credentials> auth = new LinkedHashMap<>();
        JsonNode a = n.get("auth");
        if (a != null && !a.isNull()) {
            if (!a.isObject()) {
                throw new BadResponse("auth is not a map");
            }
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                JsonNode c = e.getValue();
                if (!c.isObject()) {
                    throw new BadResponse("an auth entry is not {username, password}");
                }
                for (String field : c.propertyNames()) {
                    if (!field.equals("username") && !field.equals("password")) {
                        throw new BadResponse("an auth entry has an unknown field");
                    }
                }
                auth.put(e.getKey(), new Credentials("",
                        c.path("username").asString(""), c.path("password").asString(""), "", ""));
            }
        }
        return new Response(keyType, duration, Map.copyOf(auth));
    }

    private Map<String, Credentials> remember(String image, Response r) {
        Duration keep = r.cacheDuration() != null ? r.cacheDuration() : provider.defaultCacheDuration();
        if (keep.isZero() || keep.isNegative()) {
            return r.auth();
        }
        String key = switch (r.cacheKeyType()) {
            case "Image" -> "image:" + image;
            case "Registry" -> "registry:" + registryOf(image);
            default -> GLOBAL;
        };
        cache.put(key, new Entry(r.auth(), clock.instant().plus(keep)));
        return r.auth();
    }
}
