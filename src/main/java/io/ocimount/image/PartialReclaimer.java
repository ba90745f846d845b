package io.ocimount.image;

import io.ocimount.content.ContentStore;
import io.ocimount.content.Partial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Decides which partial downloads are still worth their space. A partial is kept so that a pull that failed or
 * was interrupted resumes where it stopped; it goes once it is older than the configured age, and at once when
 * the disk is short (less room than the next blob wants, or a pull failed on a full disk). A partial that a
 * running pull holds is never touched; a temporary file that no pull resumes goes whenever none holds it.
 */
public final class PartialReclaimer {
    private static final Logger LOG = Logger.getLogger(PartialReclaimer.class.getName());
    /** Room kept free beyond a blob and its unpacked copy before partials are sacrificed for it. */
    private static final long HEADROOM = 64L << 20;
    private final ContentStore content;
    private final Leases leases;
    private final Duration maxAge;
    private final LongSupplier usableSpace;
    private final Clock clock;

    /** @param usableSpace the bytes the store's file system has free for us (statvfs), -1 when unknown */
    public PartialReclaimer(ContentStore content, Leases leases, Duration maxAge, LongSupplier usableSpace, Clock clock) {
        this.content = content;
        this.leases = leases;
        this.maxAge = maxAge;
        this.usableSpace = usableSpace;
        this.clock = clock;
    }

    /** Deletes the partials older than the configured age; returns the bytes freed. */
    public long expired() {
        Instant cutoff = clock.instant().minus(maxAge);
        return reclaim(p -> p.modified().isBefore(cutoff), "older than " + maxAge.toSeconds() + " s");
    }

    /** Deletes every partial no running pull holds: the disk is needed more than a resume. */
    long all(String why) {
        return reclaim(p -> true, why);
    }

    /** Frees the partials first when the store has less room than a blob of {@code bytes} and its unpacked copy. */
    public void ensureRoom(long bytes) {
        long usable = usableSpace.getAsLong();
        if (usable < 0) {
            return;
        }
        long wanted = 3 * bytes + HEADROOM; // the blob, and its unpacked copy at a typical 2:1 ratio
        if (usable < wanted) {
            all("disk pressure: " + usable + " bytes free, a blob of " + bytes + " bytes to fetch");
        }
    }

    private long reclaim(Predicate<Partial> doomed, String why) {
        long[] freed = new long[2];
        leases.frozen(() -> { // no pull can take a lease while this decides, so none loses a partial it holds
            for (Partial p : content.partials()) {
                boolean held = p.digest() != null && leases.isHeld(p.digest());
                boolean resumable = p.digest() != null && !p.name().contains(".");
                if (!held && (!resumable || doomed.test(p))) {
                    content.deletePartial(p);
                    freed[0] += p.bytes();
                    freed[1]++;
                }
            }
        });
        if (freed[1] > 0) {
            LOG.info(() -> "reclaimed " + freed[1] + " partial download(s), " + freed[0] + " bytes: " + why);
        }
        return freed[0];
    }
}
