package io.ocimount.image;

import io.ocimount.oci.Digest;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Deletes what nothing holds: the snapshots and blobs of no image record, no running pull (a lease) and no mounted
 * volume (a pin), and the partial downloads too old to resume. Leases are frozen while it decides, so neither a
 * pull nor a mount can start to use something between the check and the delete; snapshot trees are deleted
 * after that, once pulls may go on.
 */
public final class GarbageCollector {
    private final ImageStorage store;
    private final PartialReclaimer partials;
    private final StoreUsage usage;
    private volatile Supplier<Set<Digest>> pinned = Set::of;

    public GarbageCollector(ImageStorage store, PartialReclaimer partials, StoreUsage usage) {
        this.store = store;
        this.partials = partials;
        this.usage = usage;
    }

    /** What else holds snapshots (chainIDs): mounted volumes, whose image may have lost its names to RemoveImage. */
    void pinWith(Supplier<Set<Digest>> pins) {
        this.pinned = pins;
    }

    void collect() {
        collect(() -> { });
    }

    /** Runs {@code change} to the records and collects what it let go, as one step under the records' lock. */
    void collect(Runnable change) {
        synchronized (store.records()) {
            change.run();
            collectLocked();
        }
        partials.expired();
        usage.invalidate();
    }

    private void collectLocked() {
        store.leases().frozen(() -> {
            Set<Digest> referenced = new HashSet<>(store.records().referencedBlobs());
            referenced.addAll(pinned.get()); // read in here: a volume recorded a moment ago has let go of its hold
            for (ImageRecord r : store.records().list()) {
                referenced.addAll(r.chainIds());
            }
            for (Digest c : store.snapshots().list()) {
                if (!referenced.contains(c) && !store.leases().isHeld(c)) {
                    store.snapshots().detach(c);
                }
            }
            for (Digest d : store.content().list()) {
                if (!referenced.contains(d) && !store.leases().isHeld(d)) {
                    store.content().delete(d);
                }
            }
        });
        store.snapshots().purgeDetached();
    }

    /** A pull failed on a full disk: what no image holds goes, partial downloads first, so the next pull has room. */
    void afterDiskFull() {
        partials.all("a pull failed on a full disk");
        collect();
    }

    /** Deletes the partial downloads too old to be worth resuming. */
    void reclaimExpiredPartials() {
        if (partials.expired() > 0) {
            usage.invalidate();
        }
    }
}
