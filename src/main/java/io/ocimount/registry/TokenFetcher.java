package io.ocimount.registry;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * Exchanges credentials for a bearer token at a challenge's realm (distribution token spec): GET with Basic,
 * or the OAuth2 refresh-token POST for an identity token. Credentials go only to an https realm, or to a
 * loopback one.
 */
public final class TokenFetcher {
    record Token(String value, long expiresAtMillis) {
        @Override
        public String toString() {
            return "Token[<redacted>]";
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final HttpClient client;

    public TokenFetcher(HttpClient client) {
        this.client = client;
    }

    Token fetch(Challenge challenge, String scope, Credentials creds, String registry) {
        String realm = challenge.param("realm");
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new OciMountException(ErrorKind.UNAUTHENTICATED, "authorize " + registry + ": invalid token realm \"" + realm + "\"");
        }
        boolean secure = "https".equals(realmUri.getScheme())
                || ("http".equals(realmUri.getScheme()) && HostsConfig.isLoopback(realmUri.getRawAuthority()));
        if (!secure) {
            throw new OciMountException(ErrorKind.UNAUTHENTICATED, "authorize " + registry + ": token realm \"" + realm
                    + "\" is not https; refusing to send credentials there");
        }
        String service = challenge.param("service");
        try {
            HttpResponse<byte[]> resp = !creds.identityToken().isEmpty()
                    ? client.send(refreshTokenPost(realmUri, service, scope, creds), HttpResponse.BodyHandlers.ofByteArray())
                    : client.send(tokenGet(realmUri, service, scope, creds), HttpResponse.BodyHandlers.ofByteArray());
            if (resp.statusCode() != 200) {
                throw new OciMountException(ErrorKind.UNAUTHENTICATED, "authorize " + registry + ": token server "
                        + realmUri.getHost() + " answered " + resp.statusCode() + " for scope \"" + scope + "\"");
            }
            return parse(resp.body(), registry);
        } catch (IOException e) {
            throw OciMountException.unavailable("authorize " + registry + ": token server " + realmUri.getHost()
                    + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OciMountException(ErrorKind.CANCELLED, "authorize " + registry + ": interrupted");
        }
    }

    private static HttpRequest tokenGet(URI realm, String service, String scope, Credentials creds) {
        StringBuilder q = new StringBuilder();
        if (!service.isEmpty()) {
            q.append("service=").append(enc(service));
        }
        for (String one : scope.split(" ")) { // a push that mounts asks for two repositories: one parameter each
            if (!one.isEmpty()) {
                q.append(q.length() > 0 ? "&" : "").append("scope=").append(enc(one));
            }
        }
        String sep = realm.getRawQuery() == null ? "?" : "&";
        URI uri = URI.create(realm + (q.length() > 0 ? sep + q : ""));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
        if (creds.hasBasic()) {
            b.header("Authorization", creds.basicHeader());
        }
        return b.build();
    }

    private static HttpRequest refreshTokenPost(URI realm, String service, String scope, Credentials creds) {
        String form = "grant_type=refresh_token&client_id=ocimount&service=" + enc(service) + "&scope=" + enc(scope)
                + "&refresh_token=" + enc(creds.identityToken());
        return HttpRequest.newBuilder(realm).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private static Token parse(byte[] body, String registry) {
        JsonNode root = Json.parse(body, "token response from " + registry);
        String token = root.path("access_token").asString("");
        if (token.isEmpty()) {
            token = root.path("token").asString("");
        }
        if (token.isEmpty()) {
            throw new OciMountException(ErrorKind.UNAUTHENTICATED, "authorize " + registry + ": token response has no token");
        }
        long expiresIn = root.path("expires_in").asLong(60);
        if (expiresIn < 60) {
            expiresIn = 60;
        }
        // a margin so a token is not used in the last seconds of its life
        return new Token(token, System.currentTimeMillis() + (expiresIn - 10) * 1000);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
