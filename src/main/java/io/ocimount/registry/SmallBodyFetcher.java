package io.ocimount.registry;

import io.ocimount.errdefs.Cancellation;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;

/**
 * Fetches a body small enough to hold in memory (a manifest, an image config) whole. One that breaks or ends
 * short is asked for again, spending from the same {@link RetryBudget} as the failed statuses: unlike a layer it
 * cannot be resumed, and a few hundred bytes are cheap to ask for twice. Whether whole bytes are the right ones
 * is the caller's check: a wrong digest is never retried.
 */
final class SmallBodyFetcher {
    private final RegistryTransport transport;

    SmallBodyFetcher(RegistryTransport transport) {
        this.transport = transport;
    }

    record Body(HttpHeaders headers, byte[] bytes) {
    }

    /**
     * @param expectedSize the size the descriptor names, or -1 when unknown (then the Content-Length, if any)
     * @param maxBytes     reads at most one byte more than this; the caller refuses a longer body
     */
    Body fetch(RegistryHost host, RegistryTransport.Call call, long expectedSize, long maxBytes, Cancellation cancel) {
        RetryBudget budget = transport.budget();
        while (true) {
            HttpResponse<InputStream> resp = transport.send(host, call, budget, cancel);
            if (resp.statusCode() != 200) {
                throw RegistryErrors.of(call.what() + " at " + host, resp);
            }
            String problem;
            InputStream in = resp.body();
            cancel.closeOnCancel(in);
            try (in) {
                byte[] raw = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
                long expected = expectedSize >= 0 ? expectedSize
                        : resp.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (raw.length > maxBytes || raw.length >= expected) {
                    return new Body(resp.headers(), raw);
                }
                problem = "body ended after " + raw.length + " of " + expected + " bytes";
            } catch (IOException e) {
                cancel.check();
                problem = "reading the body: " + describe(e);
            } finally {
                cancel.forget(in);
            }
            budget.backOff(call.what(), host, problem, null, cancel);
        }
    }

    /** The JDK wraps the telling part ("fixed content-length: 400, bytes received: 200") in a bare "closed". */
    private static String describe(IOException e) {
        Throwable cause = e.getCause();
        return RegistryTransport.describe(e) + (cause != null && cause.getMessage() != null
                ? " (" + cause.getMessage() + ")" : "");
    }
}
