package io.ocimount.registry;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides the Authorization header for a request: remembers each host's challenge, caches bearer tokens per
 * (host, service, scope, credentials) until they expire, and sends Basic only where a host asked for it.
 */
public final class Authorizer {
    private final TokenFetcher tokens;
    private final Map<String, Challenge> challenges = new ConcurrentHashMap<>();
    private final Map<String, TokenFetcher.Token> cache = new ConcurrentHashMap<>();

    public Authorizer(TokenFetcher tokens) {
        this.tokens = tokens;
    }

    /** The header value for a request to {@code host}, or null to go anonymous. */
    String authorization(RegistryHost host, String scope, Credentials creds) {
        if (!creds.registryToken().isEmpty() && host.upstream()) {
            return "Bearer " + creds.registryToken();
        }
        Challenge c = challenges.get(host.authority());
        if (c == null) {
            return null;
        }
        Credentials sent = host.upstream() ? creds : Credentials.NONE;
        if ("basic".equals(c.scheme())) {
            return sent.hasBasic() ? sent.basicHeader() : null;
        }
        String key = host.authority() + "|" + c.param("service") + "|" + scope + "|" + sent.fingerprint();
        TokenFetcher.Token t = cache.get(key);
        if (t == null || t.expiresAtMillis() < System.currentTimeMillis()) {
            t = tokens.fetch(c, scope, sent, host.namespace());
            cache.put(key, t);
        }
        return "Bearer " + t.value();
    }

    /**
     * Records a 401's challenge. Returns true when retrying with new authorization can help; false when we
     * already answered this challenge and the registry still refuses.
     */
    boolean onUnauthorized(RegistryHost host, List<String> wwwAuthenticate, String scope, Credentials creds,
                           boolean alreadyRetried) {
        Challenge c = Challenge.preferred(Challenge.parseAll(wwwAuthenticate));
        if (c == null) {
            throw new OciMountException(ErrorKind.UNAUTHENTICATED, "authorize " + host.namespace()
                    + ": registry answered 401 without a Bearer or Basic challenge");
        }
        Challenge previous = challenges.put(host.authority(), c);
        cache.keySet().removeIf(k -> k.startsWith(host.authority() + "|") && k.contains("|" + scope + "|"));
        if ("basic".equals(c.scheme()) && !(host.upstream() && creds.hasBasic())) {
            return false;
        }
        return !alreadyRetried || previous == null || !previous.equals(c);
    }
}
