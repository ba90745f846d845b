package io.ocimount.image;

import io.ocimount.metrics.Meters;
import io.ocimount.oci.Digest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Image garbage collection as kubelet does it ({@link GcPolicy}): removes whole images, least recently used first
 * (last pull or mount; ties go to the older image), when the store's file system is over the high mark or a pull is
 * about to take it there, until it is down to the low mark; and images unused for longer than the maximum age. It
 * never removes an image a volume uses, one a pull or a mount holds (a lease), a pinned one, or (for space) one
 * pulled less than the minimum age ago. What a removed image held goes through {@link GarbageCollector}, so blobs
 * and layers another image still uses stay. Each removal is logged and counted.
 */
public final class ImageReclaimer {
    private static final Logger LOG = Logger.getLogger(ImageReclaimer.class.getName());
    private final ImageStorage store;
    private final GarbageCollector gc;
    private final GcPolicy policy;
    private final DiskSpace disk;
    private final Clock clock;
    private final Meters meters;
    private final long startedMillis;
    private volatile Supplier<Set<Digest>> inUse = Set::of;

    /** One image removed: its id, "space" or "age", and the bytes the file system got back. */
    public record Removal(Digest id, String reason, long freedBytes) {
    }

    public ImageReclaimer(ImageStorage store, GarbageCollector gc, GcPolicy policy, DiskSpace disk, Clock clock,
                          Meters meters) {
        this.store = store;
        this.gc = gc;
        this.policy = policy;
        this.disk = disk;
        this.clock = clock;
        this.meters = meters;
        this.startedMillis = clock.millis();
    }

    /** The ids of the images mounted volumes use. */
    void inUseBy(Supplier<Set<Digest>> imageIds) {
        this.inUse = imageIds;
    }

    boolean isPinned(ImageRecord image) {
        return policy.pinned().matches(image);
    }

    /** The image was pulled or mounted now. */
    void used(Digest id) {
        store.records().touch(id, clock.millis());
    }

    /** The periodic pass: images over the maximum age, then space if the file system is over the high mark. */
    public synchronized List<Removal> collect() {
        long now = clock.millis();
        Set<Digest> mounted = inUse.get();
        mounted.forEach(id -> store.records().touch(id, now)); // kubelet too counts an image in use as used now
        List<Removal> out = new ArrayList<>();
        if (!policy.maxAge().isZero()) {
            long maxAge = policy.maxAge().toMillis();
            for (ImageRecord r : candidates(mounted)) {
                long idle = now - lastUsed(r);
                if (idle > maxAge) {
                    remove(r, "age", "unused for " + idle / 1000 + " s, over gc.max_age_seconds "
                            + policy.maxAge().toSeconds()).ifPresent(out::add);
                }
            }
        }
        out.addAll(freeSpace(0, now, mounted));
        return out;
    }

    /**
     * Before a pull that will write about {@code incomingBytes}: if that would take the file system over the high
     * mark, least recently used images go until it would be at the low mark.
     */
    public synchronized List<Removal> ensureRoom(long incomingBytes) {
        return freeSpace(incomingBytes, clock.millis(), inUse.get());
    }

    private List<Removal> freeSpace(long incoming, long now, Set<Digest> mounted) {
        long capacity = disk.capacity();
        long available = Math.min(disk.available(), capacity);
        if (policy.highPercent() >= 100 || capacity <= 0 || available < 0) {
            return List.of();
        }
        long used = capacity - available + incoming;
        if (used * 100 < (long) policy.highPercent() * capacity) {
            return List.of();
        }
        long wanted = capacity * (100 - policy.lowPercent()) / 100 + incoming; // free bytes that leave us at the low mark
        String why = (incoming > 0 ? "a pull of about " + incoming + " bytes would take the store's file system to "
                : "the store's file system is at ") + used * 100 / capacity + "%, over gc.high_percent "
                + policy.highPercent() + "; freeing down to gc.low_percent " + policy.lowPercent();
        LOG.info(() -> "image gc: " + why + " (" + available + " of " + capacity + " bytes free, want " + wanted + ")");
        List<Removal> out = new ArrayList<>();
        long minAge = policy.minAge().toMillis();
        for (ImageRecord r : candidates(mounted)) {
            if (disk.available() >= wanted) {
                break;
            }
            if (now - r.createdAtMillis() < minAge) {
                continue; // just pulled: likely about to be mounted (kubelet's reason for a minimum age)
            }
            remove(r, "space", why).ifPresent(out::add);
        }
        long left = disk.available();
        if (left < wanted) {
            LOG.warning("image gc: only " + left + " bytes free after removing " + out.size() + " image(s), wanted "
                    + wanted + "; the rest are in use, being pulled, pinned or younger than gc.min_age_seconds "
                    + policy.minAge().toSeconds());
        }
        return out;
    }

    /** Images that may go, least recently used first: not pinned and not mounted (leases are checked at removal). */
    private List<ImageRecord> candidates(Set<Digest> mounted) {
        return store.records().list().stream()
                .filter(r -> !isPinned(r) && !mounted.contains(r.id()))
                .sorted(Comparator.comparingLong(this::lastUsed).thenComparingLong(ImageRecord::createdAtMillis))
                .toList();
    }

    /** The last pull or mount; a record from before this existed counts as used when the daemon started. */
    private long lastUsed(ImageRecord r) {
        long known = store.records().lastUsed(r);
        return Math.max(r.createdAtMillis(), known > 0 ? known : startedMillis);
    }

    /**
     * Removes the image unless, looked at again under the records' lock, a pull or a mount holds it or a volume
     * uses it (a hold takes the same lock, and a volume's record is written before its hold goes, so checking the
     * leases first and the volumes second misses neither).
     */
    private Optional<Removal> remove(ImageRecord r, String reason, String why) {
        long before = disk.available();
        boolean[] removed = {false};
        gc.collect(() -> {
            if (store.records().get(r.id()).isEmpty() || held(r) || inUse.get().contains(r.id())) {
                return;
            }
            store.records().remove(r.id());
            removed[0] = true;
        });
        if (!removed[0]) {
            return Optional.empty();
        }
        long freed = Math.max(0, disk.available() - before);
        meters.imageCollected(reason, freed);
        LOG.info(() -> "image gc removed " + r.id() + " " + (r.repoTags().isEmpty() ? r.repoDigests() : r.repoTags())
                + " size=" + r.size() + ", " + freed + " bytes freed: " + why);
        return Optional.of(new Removal(r.id(), reason, freed));
    }

    /**
     * A pull of this very image leases its top digest first and its manifest and config later; a hold for a mount
     * leases every blob. Layers are not asked: another image's pull may share them, which keeps them but not this
     * image.
     */
    private boolean held(ImageRecord r) {
        return store.leases().isHeld(r.target()) || store.leases().isHeld(r.manifest())
                || !r.isArtifact() && store.leases().isHeld(r.config());
    }
}
