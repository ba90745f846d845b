package io.ocimount.registry;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * Sends one registry request: authorization, our own redirect loop (Authorization is dropped whenever the
 * scheme, host or port changes, and https never downgrades to http), and bounded retries with backoff on
 * 408/429/5xx and connection failures, counted in a {@link RetryBudget}.
 */
public final class RegistryTransport {
    private static final Logger LOG = Logger.getLogger(RegistryTransport.class.getName());
    static final int MAX_REDIRECTS = 5;
    private final HttpClients clients;
    private final Authorizer authorizer;
    private final int maxAttempts;
    private final Duration baseBackoff;
    private final Duration requestTimeout;

    public RegistryTransport(HttpClients clients, Authorizer authorizer, int maxAttempts, Duration baseBackoff,
                      Duration requestTimeout) {
        this.clients = clients;
        this.authorizer = authorizer;
        this.maxAttempts = maxAttempts;
        this.baseBackoff = baseBackoff;
        this.requestTimeout = requestTimeout;
    }

    /**
     * A request before authorization: what to ask, and which repository scope it needs (several scopes are
     * separated by spaces). {@code body} is null for requests without one; it is re-sent on a retry.
     */
    record Call(String method, URI uri, Map<String, String> headers, String scope, Credentials creds, String what,
                HttpRequest.BodyPublisher body) {
        Call(String method, URI uri, Map<String, String> headers, String scope, Credentials creds, String what) {
            this(method, uri, headers, scope, creds, what, null);
        }
    }

    /** A fresh budget of {@code maxAttempts} requests, for a caller that also retries what it reads. */
    RetryBudget budget() {
        return new RetryBudget(maxAttempts, baseBackoff);
    }

    /** Sends {@code call}; the caller owns (and must close) the body of the returned response. */
    HttpResponse<InputStream> send(RegistryHost host, Call call, Cancellation cancel) {
        return send(host, call, budget(), cancel);
    }

    /** As {@link #send(RegistryHost, Call, Cancellation)}, each request spent from {@code budget}. */
    HttpResponse<InputStream> send(RegistryHost host, Call call, RetryBudget budget, Cancellation cancel) {
        boolean authRetried = false;
        while (true) {
            cancel.check();
            budget.spend();
            HttpResponse<InputStream> resp;
            try {
                resp = followRedirects(host, call, authorizer.authorization(host, call.scope(), call.creds()), cancel);
            } catch (IOException e) {
                cancel.check();
                LOG.fine(() -> call.what() + ": attempt failed at " + host + ": " + describe(e));
                budget.backOff(call.what(), host, describe(e), null, cancel);
                continue;
            }
            int status = resp.statusCode();
            if (status == 401) {
                List<String> challenge = resp.headers().allValues("WWW-Authenticate");
                close(resp);
                if (authorizer.onUnauthorized(host, challenge, call.scope(), call.creds(), authRetried)) {
                    authRetried = true;
                    budget.refund();
                    continue;
                }
                throw new OciMountException(ErrorKind.UNAUTHENTICATED, call.what() + ": " + host.namespace()
                        + " refused the request (401): authentication required or credentials rejected");
            }
            if (isRetryable(status)) {
                String retryAfter = resp.headers().firstValue("Retry-After").orElse(null);
                close(resp);
                budget.backOff(call.what(), host, "HTTP " + status, retryAfter, cancel);
                continue;
            }
            return resp;
        }
    }

    private HttpResponse<InputStream> followRedirects(RegistryHost host, Call call, String authorization,
                                                      Cancellation cancel) throws IOException {
        HttpClient client = clients.forHost(host);
        URI uri = call.uri();
        String auth = authorization;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                    .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody() : call.body());
            host.headers().forEach((name, values) -> values.forEach(v -> b.header(name, v)));
            call.headers().forEach(b::header);
            if (auth != null) {
                b.header("Authorization", auth);
            }
            HttpResponse<InputStream> resp;
            try {
                resp = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OciMountException(ErrorKind.CANCELLED, call.what() + ": interrupted");
            }
            int status = resp.statusCode();
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                return resp;
            }
            String location = resp.headers().firstValue("Location").orElse(null);
            close(resp);
            if (location == null) {
                throw new OciMountException(ErrorKind.UNAVAILABLE, call.what() + ": redirect " + status + " without Location");
            }
            URI next = uri.resolve(location);
            if ("https".equals(uri.getScheme()) && !"https".equals(next.getScheme())) {
                throw new OciMountException(ErrorKind.PERMISSION_DENIED, call.what() + ": refusing redirect from https to "
                        + next.getScheme() + "://" + next.getHost());
            }
            if (!Objects.equals(uri.getScheme(), next.getScheme()) || !Objects.equals(uri.getRawAuthority(), next.getRawAuthority())) {
                auth = null; // credentials are for the registry, never for the CDN or object store it redirects to
            }
            uri = next;
            cancel.check();
        }
        throw new OciMountException(ErrorKind.UNAVAILABLE, call.what() + ": more than " + MAX_REDIRECTS + " redirects");
    }

    private static boolean isRetryable(int status) {
        return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    static String describe(IOException e) {
        String msg = e.getMessage();
        return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    static void close(HttpResponse<InputStream> resp) {
        try {
            resp.body().close();
        } catch (IOException ignored) {
            // nothing to do: the connection is dropped either way
        }
    }
}
