package io.ocimount.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.policy.audit.Requester;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.registry.Credentials;
import io.ocimount.testkit.FakeRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Cancels a pull while it waits to ask again for a body that broke (a long backoff), and checks it stops at once. */
final class CancelDuringBackoff {
    private CancelDuringBackoff() {
    }

    /** @param request the request ("GET /v2/…") whose body always breaks: sent once, never again after the cancel */
    static void assertStopsAtOnce(ImageService images, String ref, FakeRegistry registry, String request) throws Exception {
        Cancellation cancel = new Cancellation();
        CompletableFuture<ImageRecord> pull = CompletableFuture.supplyAsync(() -> images.pull(ref, Requester.CLI, Credentials.NONE, cancel));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.count(request) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(100); // into the backoff after the broken body
        long cancelled = System.nanoTime();
        cancel.cancel(ErrorKind.CANCELLED, "the caller gave up");
        ExecutionException e = assertThrows(ExecutionException.class, () -> pull.get(5, TimeUnit.SECONDS));
        OciMountException cause = assertInstanceOf(OciMountException.class, e.getCause());
        assertEquals(ErrorKind.CANCELLED, cause.kind(), cause.getMessage());
        assertTrue(System.nanoTime() - cancelled < TimeUnit.SECONDS.toNanos(2), "stopped within the backoff");
        assertEquals(1, registry.count(request), registry.requests.toString());
    }
}
