package io.ocimount.registry;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Reasons;
import java.time.Duration;
import java.util.function.IntFunction;

/**
 * The requests one fetch may send, whatever made the previous one fail: a retryable status or a connection
 * error (seen by {@link RegistryTransport#send}) or a body that broke, ended short or stalled (seen by its reader:
 * {@link SmallBodyFetcher}, {@link BlobStream}). Sharing one budget keeps a registry that always fails at
 * {@code maxAttempts} requests, and the backoff growing across both. One fetch, one thread: not thread-safe.
 */
final class RetryBudget {
    private final int maxAttempts;
    private final Duration baseBackoff;
    private int used;

    RetryBudget(int maxAttempts, Duration baseBackoff) {
        this.maxAttempts = maxAttempts;
        this.baseBackoff = baseBackoff;
    }

    /** Counts a request about to be sent. */
    void spend() {
        used++;
    }

    /** Gives back the request a 401 used: answering a challenge is not a failed attempt. */
    void refund() {
        used--;
    }

    /**
     * After a failed request: waits before the next one (the registry's {@code retryAfter} seconds, else a
     * doubling backoff) when one is left; otherwise throws UNAVAILABLE naming {@code what}, {@code host} and
     * {@code problem}. A cancellation ends the wait at once.
     */
    void backOff(String what, RegistryHost host, String problem, String retryAfter, Cancellation cancel) {
        backOff(attempts -> new OciMountException(ErrorKind.UNAVAILABLE, Reasons.REGISTRY_UNAVAILABLE, what
                + ": registry " + host + " unavailable after " + attempts + " attempts: " + problem, null), retryAfter, cancel);
    }

    /** As above, throwing what {@code spent} makes of the number of requests sent when none is left. */
    void backOff(IntFunction<OciMountException> spent, String retryAfter, Cancellation cancel) {
        if (used >= maxAttempts) {
            throw spent.apply(maxAttempts);
        }
        sleep(delay(retryAfter), cancel);
    }

    private Duration delay(String retryAfter) {
        if (retryAfter != null) {
            try {
                long secs = Long.parseLong(retryAfter.trim());
                return Duration.ofSeconds(Math.min(Math.max(secs, 0), 10));
            } catch (NumberFormatException ignored) {
                // an HTTP date: fall through to our own backoff
            }
        }
        long ms = baseBackoff.toMillis() << Math.min(Math.max(used - 1, 0), 5);
        return Duration.ofMillis(Math.min(ms, 5000));
    }

    private static void sleep(Duration d, Cancellation cancel) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            cancel.check();
            try {
                Thread.sleep(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OciMountException(ErrorKind.CANCELLED, "interrupted");
            }
        }
    }
}
