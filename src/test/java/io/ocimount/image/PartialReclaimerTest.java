package io.ocimount.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ocimount.content.LocalContentStore;
import io.ocimount.content.Partial;
import io.ocimount.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which partial downloads go, and when: by age, under disk pressure, never while a pull holds them. */
class PartialReclaimerTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final String OLD = "1".repeat(64);
    private static final String YOUNG = "2".repeat(64);
    private static final String HELD_OLD = "3".repeat(64);
    private static final String TEMP_PUT = "4".repeat(64) + ".put-17";

    @TempDir
    Path root;
    LocalContentStore content;
    Leases leases;
    PartialReclaimer reclaimer;
    long freeBytes = 10L << 30;

    @BeforeEach
    void partials() throws Exception {
        content = new LocalContentStore(root);
        leases = new Leases();
        reclaimer = new PartialReclaimer(content, leases, Duration.ofHours(1), () -> freeBytes,
                Clock.fixed(NOW, ZoneOffset.UTC));
        partial(OLD, 1000, NOW.minus(Duration.ofHours(2)));
        partial(YOUNG, 2000, NOW.minus(Duration.ofMinutes(5)));
        partial(HELD_OLD, 4000, NOW.minus(Duration.ofHours(3)));
        partial(TEMP_PUT, 8, NOW.minus(Duration.ofMinutes(1)));
        leases.acquire(Set.of(Digest.parse("sha256:" + HELD_OLD)));
    }

    private void partial(String name, int bytes, Instant modified) throws Exception {
        Path f = Files.write(root.resolve("content/ingest").resolve(name), new byte[bytes]);
        Files.setLastModifiedTime(f, FileTime.from(modified));
    }

    private List<String> left() {
        return content.partials().stream().map(Partial::name).sorted().toList();
    }

    @Test
    void expiredTakesWhatIsOlderThanTheAgeAndNoPullHolds() {
        assertEquals(1008, reclaimer.expired(), "the old partial and the temporary file no pull resumes");
        assertEquals(List.of(YOUNG, HELD_OLD).stream().sorted().toList(), left());
    }

    @Test
    void diskPressureTakesEveryPartialNoPullHolds() {
        assertEquals(3008, reclaimer.all("test"));
        assertEquals(List.of(HELD_OLD), left());
        leases.release(Set.of(Digest.parse("sha256:" + HELD_OLD)));
        assertEquals(4000, reclaimer.all("test"), "free once its pull let go of it");
        assertEquals(List.of(), left());
    }

    @Test
    void ensureRoomReclaimsOnlyWhenTheStoreIsShort() {
        reclaimer.ensureRoom(100L << 20);
        assertEquals(4, left().size(), "plenty of room: nothing taken");
        freeBytes = 200L << 20;
        reclaimer.ensureRoom(100L << 20); // the blob and its unpacked copy would not fit with room to spare
        assertEquals(List.of(HELD_OLD), left());
    }
}
