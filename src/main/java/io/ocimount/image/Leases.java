package io.ocimount.image;

import io.ocimount.oci.Digest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Blobs and snapshots (by digest and chainID) that a running pull or a mount needs but no image record holds yet:
 * garbage collection must leave them alone.
 */
public final class Leases {
    private final Map<Digest, Integer> held = new HashMap<>();

    synchronized void acquire(Set<Digest> digests) {
        digests.forEach(d -> held.merge(d, 1, Integer::sum));
    }

    synchronized void release(Set<Digest> digests) {
        digests.forEach(d -> held.computeIfPresent(d, (k, n) -> n == 1 ? null : n - 1));
    }

    synchronized boolean isHeld(Digest digest) {
        return held.containsKey(digest);
    }

    /**
     * Runs {@code work} while no lease is taken or released: what it finds unheld stays unheld until it is done,
     * so garbage collection never deletes what a pull has just started to use.
     */
    synchronized void frozen(Runnable work) {
        work.run();
    }
}
