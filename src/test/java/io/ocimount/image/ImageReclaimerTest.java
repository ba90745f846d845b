package io.ocimount.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.content.LocalContentStore;
import io.ocimount.metrics.Meters;
import io.ocimount.oci.Digest;
import io.ocimount.snapshot.OverlaySnapshotter;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which images image garbage collection removes, and in which order, over a real store in a temporary directory
 * with image records of chosen sizes and times, a clock the test moves, and a disk whose use is a fixed base plus
 * the sizes of the images the store still records.
 */
class ImageReclaimerTest {
    private static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    private static final long CAPACITY = 1000;

    @TempDir
    Path root;
    ImageStorage store;
    MovableClock clock;
    long base;
    Set<Digest> mounted = new HashSet<>();
    List<String> counted = new ArrayList<>();
    int serial;

    @BeforeEach
    void store() {
        store = new ImageStorage(root, new LocalContentStore(root), new OverlaySnapshotter(root), new ImageStore(root),
                new Leases());
        clock = new MovableClock(T0);
    }

    private ImageReclaimer reclaimer(GcPolicy policy) {
        StoreUsage usage = new StoreUsage(root);
        PartialReclaimer partials = new PartialReclaimer(store.content(), store.leases(), Duration.ofHours(1), () -> -1, clock);
        DiskSpace disk = new DiskSpace() {
            @Override
            public long capacity() {
                return CAPACITY;
            }

            @Override
            public long available() {
                return CAPACITY - base - store.records().list().stream().mapToLong(ImageRecord::size).sum();
            }
        };
        // counts only what garbage collection reports; nothing else here reports anything
        Meters meters = (Meters) Proxy.newProxyInstance(Meters.class.getClassLoader(), new Class<?>[] {Meters.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("imageCollected")) {
                        counted.add(args[0] + " " + args[1]);
                    }
                    return null;
                });
        ImageReclaimer r = new ImageReclaimer(store, new GarbageCollector(store, partials, usage), policy, disk, clock, meters);
        r.inUseBy(() -> Set.copyOf(mounted));
        return r;
    }

    private static GcPolicy policy(Duration maxAge, Duration minAge, String... pinned) {
        return new GcPolicy(85, 80, maxAge, minAge, new PinnedImages(List.of(pinned)));
    }

    private static GcPolicy kubeletDefaults(String... pinned) {
        return policy(Duration.ZERO, Duration.ofMinutes(2), pinned);
    }

    /** An image of {@code size} bytes tagged {@code registry.example/<name>:v1}, pulled at {@code pulledAt}. */
    private ImageRecord image(String name, long size, Instant pulledAt) {
        serial++;
        Digest config = digest('c', serial);
        ImageRecord r = new ImageRecord(config, digest('a', serial), digest('b', serial), config,
                "application/vnd.oci.image.manifest.v1+json", null, "linux/amd64", size, "",
                List.of("registry.example/" + name + ":v1"), List.of("registry.example/" + name + "@" + digest('a', serial)),
                List.of(digest('a', serial), digest('b', serial), config), List.of(), List.of(), pulledAt.toEpochMilli(),
                pulledAt.toEpochMilli(), List.of());
        return store.records().add(r);
    }

    private static Digest digest(char kind, int n) {
        return Digest.parse("sha256:" + String.valueOf(kind).repeat(60) + String.format("%04d", n));
    }

    private List<String> tags() {
        return store.records().list().stream().map(r -> r.repoTags().get(0).replace("registry.example/", "").replace(":v1", ""))
                .sorted().toList();
    }

    private static List<String> names(List<ImageReclaimer.Removal> removals, List<ImageRecord> images) {
        return removals.stream().map(rm -> images.stream().filter(i -> i.id().equals(rm.id())).findFirst().orElseThrow()
                .repoTags().get(0).replace("registry.example/", "").replace(":v1", "")).toList();
    }

    @Test
    void overTheHighMarkTheLeastRecentlyUsedGoUntilTheLowMark() {
        ImageReclaimer gc = reclaimer(kubeletDefaults());
        List<ImageRecord> all = List.of(image("a", 100, T0), image("b", 100, T0.plusSeconds(1)),
                image("c", 100, T0.plusSeconds(2)), image("d", 100, T0.plusSeconds(3)));
        clock.set(T0.plus(Duration.ofHours(1)));
        gc.used(all.get(0).id()); // a was mounted just now: the most recently used
        clock.advance(Duration.ofSeconds(10));
        gc.used(all.get(2).id()); // then c
        base = 520; // 920 of 1000 used: 92%, over 85; down to 80% means 200 free, 80 are
        clock.advance(Duration.ofSeconds(10));

        List<ImageReclaimer.Removal> removed = gc.collect();

        assertEquals(List.of("b", "d"), names(removed, all), "b and d were used least recently (their pulls), b first");
        assertEquals(List.of("a", "c"), tags());
        assertEquals(List.of(100L, 100L), removed.stream().map(ImageReclaimer.Removal::freedBytes).toList());
        assertEquals(List.of("space 100", "space 100"), counted);
        assertTrue(gc.collect().isEmpty(), "at 72% nothing more goes");
    }

    @Test
    void underTheHighMarkNothingGoes() {
        ImageReclaimer gc = reclaimer(kubeletDefaults());
        image("a", 100, T0);
        image("b", 100, T0);
        base = 640; // 84%
        clock.set(T0.plus(Duration.ofDays(30)));
        assertTrue(gc.collect().isEmpty());
        assertEquals(List.of("a", "b"), tags());
    }

    @Test
    void mountedPinnedAndInFlightImagesAreNeverRemovedAndTheNextOnesGoInstead() {
        ImageReclaimer gc = reclaimer(kubeletDefaults("registry.example/pinned-exact:v1", "registry.example/agent:*"));
        List<ImageRecord> all = List.of(image("mounted", 100, T0), image("pinned-exact", 100, T0.plusSeconds(1)),
                image("agent", 100, T0.plusSeconds(2)), image("pulling", 100, T0.plusSeconds(3)),
                image("holding", 100, T0.plusSeconds(4)), image("old", 100, T0.plusSeconds(5)),
                image("newer", 100, T0.plusSeconds(6)));
        mounted.add(all.get(0).id());
        store.leases().acquire(Set.of(all.get(3).target())); // a pull of this very image has resolved its tag
        ImageRecord holding = all.get(4);
        Set<Digest> hold = new HashSet<>(holding.blobs());
        hold.addAll(holding.chainIds());
        store.leases().acquire(hold); // a mount holds it until its volume record does
        base = 250; // 950 used: everything unprotected would have to go to reach 800
        clock.set(T0.plus(Duration.ofHours(1)));

        List<ImageReclaimer.Removal> removed = gc.collect();

        assertEquals(List.of("old", "newer"), names(removed, all));
        assertEquals(List.of("agent", "holding", "mounted", "pinned-exact", "pulling"), tags());
        assertTrue(gc.isPinned(all.get(1)) && gc.isPinned(all.get(2)) && !gc.isPinned(all.get(5)));
    }

    @Test
    void aVolumeRecordedAfterTheCandidatesWereChosenStillKeepsItsImage() {
        ImageReclaimer gc = reclaimer(kubeletDefaults());
        List<ImageRecord> all = List.of(image("a", 100, T0), image("b", 100, T0.plusSeconds(1)));
        int[] asked = {0};
        gc.inUseBy(() -> asked[0]++ == 0 ? Set.of() : Set.of(all.get(0).id())); // a is mounted after the first look
        base = 700; // 90%
        clock.set(T0.plus(Duration.ofHours(1)));
        assertEquals(List.of("b"), names(gc.collect(), all), "a is looked at again under the lock before it goes");
        assertEquals(List.of("a"), tags());
    }

    @Test
    void imagesYoungerThanTheMinimumAgeStayWhateverTheDisk() {
        ImageReclaimer gc = reclaimer(kubeletDefaults());
        clock.set(T0.plus(Duration.ofHours(1)));
        List<ImageRecord> all = List.of(image("fresh", 100, clock.instant().minusSeconds(119)),
                image("older", 100, clock.instant().minusSeconds(121)),
                image("newest", 100, clock.instant().minusSeconds(30)));
        gc.used(all.get(1).id()); // older was mounted just now, fresh was not: fresh is the least recently used
        base = 650; // 95%

        assertEquals(List.of("older"), names(gc.collect(), all), "fresh and newest were pulled less than 2 minutes ago");
        assertEquals(List.of("fresh", "newest"), tags());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of("fresh"), names(gc.collect(), all), "2 minutes old now; 150 free became 250");
    }

    @Test
    void imagesUnusedLongerThanTheMaximumAgeGoWhateverTheDisk() {
        ImageReclaimer gc = reclaimer(policy(Duration.ofDays(1), Duration.ofMinutes(2), "registry.example/kept:*"));
        List<ImageRecord> all = List.of(image("stale", 100, T0), image("kept", 100, T0), image("mounted", 100, T0),
                image("remounted", 100, T0), image("recent", 100, T0.plus(Duration.ofMinutes(23 * 60 + 30))));
        mounted.add(all.get(2).id());
        clock.set(T0.plus(Duration.ofHours(23)));
        gc.used(all.get(3).id());
        clock.set(T0.plus(Duration.ofHours(24)).plusSeconds(1));

        List<ImageReclaimer.Removal> removed = gc.collect();

        assertEquals(List.of("stale"), names(removed, all), "half the disk is used: only age removes");
        assertEquals("age", removed.get(0).reason());
        assertEquals(List.of("age 100"), counted);
        mounted.clear(); // unmounted now: the collection while it was mounted counted it as used then
        clock.set(T0.plus(Duration.ofHours(47)));
        assertTrue(gc.collect().isEmpty(), "each was used (pulled, mounted, or seen mounted) within the day");
        clock.set(T0.plus(Duration.ofHours(49)));
        assertEquals(List.of("remounted", "recent", "mounted"), names(gc.collect(), all), "least recently used first");
        assertEquals(List.of("kept"), tags());
    }

    @Test
    void aPullThatWouldCrossTheHighMarkMakesRoomForItselfFirst() {
        ImageReclaimer gc = reclaimer(kubeletDefaults());
        List<ImageRecord> all = List.of(image("a", 100, T0), image("b", 100, T0.plusSeconds(1)),
                image("c", 100, T0.plusSeconds(2)));
        base = 400; // 70%: no collection without a pull
        clock.set(T0.plus(Duration.ofHours(1)));
        assertTrue(gc.ensureRoom(140).isEmpty(), "84% after the pull");
        // 230 more would make 93%; to end at 80% with it, 430 must be free
        assertEquals(List.of("a", "b"), names(gc.ensureRoom(230), all));
        assertEquals(List.of("c"), tags());
    }

    @Test
    void aHighMarkOf100TurnsCollectionByDiskUseOff() {
        ImageReclaimer gc = reclaimer(new GcPolicy(100, 80, Duration.ZERO, Duration.ZERO, PinnedImages.NONE));
        image("a", 100, T0);
        base = 900;
        clock.set(T0.plus(Duration.ofHours(1)));
        assertTrue(gc.collect().isEmpty());
        assertTrue(gc.ensureRoom(500).isEmpty());
    }

    @Test
    void recordsFromBeforeGcCountAsUsedWhenTheDaemonStarted() {
        ImageRecord legacy = image("legacy", 100, T0);
        store.records().remove(legacy.id());
        store.records().add(legacy.withLastUsed(0)); // as an older release wrote it
        clock.set(T0.plus(Duration.ofDays(10)));
        ImageReclaimer gc = reclaimer(policy(Duration.ofDays(1), Duration.ZERO));
        ImageRecord pulledLongAgo = image("pulled", 100, T0.plus(Duration.ofDays(8)));
        assertEquals(List.of("pulled"), names(gc.collect(), List.of(legacy, pulledLongAgo)),
                "unused for 2 days; legacy counts from the start, now");
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertEquals(List.of("legacy"), names(gc.collect(), List.of(legacy)));
    }

    @Test
    void lastUseIsWrittenToTheRecordNowAndThenAndSurvivesARestart() {
        ImageRecord a = image("a", 100, T0);
        long t1 = T0.plusSeconds(60).toEpochMilli();
        store.records().touch(a.id(), t1);
        assertEquals(t1, store.records().lastUsed(a), "known exactly in memory");
        assertEquals(T0.toEpochMilli(), new ImageStore(root).get(a.id()).orElseThrow().lastUsedMillis(),
                "a minute later: not written yet");
        long t2 = T0.plus(Duration.ofMinutes(6)).toEpochMilli();
        store.records().touch(a.id(), t2);
        ImageStore restarted = new ImageStore(root);
        assertEquals(t2, restarted.lastUsed(restarted.get(a.id()).orElseThrow()));
        assertEquals(List.of("registry.example/a:v1"), restarted.get(a.id()).orElseThrow().repoTags());
    }

    @Test
    void pinnedPatternsMatchAsDocumented() {
        ImageRecord busybox = new ImageRecord(digest('c', 900), digest('a', 900), digest('b', 900), digest('c', 900), "", null,
                "", 1, "", List.of("docker.io/library/busybox:1.36"), List.of("docker.io/library/busybox@" + digest('a', 900)),
                List.of(), List.of(), List.of(), 0, 0, List.of());
        ImageRecord byDigest = new ImageRecord(digest('c', 901), digest('a', 901), digest('b', 901), digest('c', 901), "", null,
                "", 1, "", List.of(), List.of("registry.example/agent@" + digest('a', 901)), List.of(), List.of(), List.of(), 0, 0, List.of());
        assertTrue(new PinnedImages(List.of("busybox:1.36")).matches(busybox), "normalized as pulls are");
        assertTrue(new PinnedImages(List.of("docker.io/library/busybox:1.*")).matches(busybox));
        assertFalse(new PinnedImages(List.of("docker.io/library/busybox:2.*")).matches(busybox));
        assertTrue(new PinnedImages(List.of("busybox@" + digest('a', 900))).matches(busybox));
        assertTrue(new PinnedImages(List.of(digest('c', 900).toString())).matches(busybox), "by image id");
        assertFalse(new PinnedImages(List.of("busybox:1.3")).matches(busybox));
        assertTrue(new PinnedImages(List.of("registry.example/agent:*")).matches(byDigest), "every image of the repository");
        assertFalse(new PinnedImages(List.of("registry.example/agent:1.*")).matches(byDigest), "a tag prefix needs a tag");
        assertFalse(new PinnedImages(List.of("registry.example/age:*")).matches(byDigest), "not a name prefix");
        assertFalse(PinnedImages.NONE.matches(busybox));
    }

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
