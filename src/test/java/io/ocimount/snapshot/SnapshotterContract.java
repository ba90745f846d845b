package io.ocimount.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Snapshotter} must do, after containerd's core/snapshots/testsuite: a preparation is private
 * and empty, a commit makes it the snapshot at once, "already exists" means reuse (the first commit wins, the
 * later tree is thrown away), a detached snapshot is out of view at once and its files go at the purge, and a
 * restart clears what an interrupted run left. An implementation's test says how to open one over a directory.
 */
public abstract class SnapshotterContract {
    @TempDir
    protected Path root;
    protected Snapshotter snapshots;

    /** A snapshotter keeping its state under {@code root}; called again on the same root to stand for a restart. */
    protected abstract Snapshotter open(Path root);

    @BeforeEach
    void openSnapshotter() {
        snapshots = open(root);
    }

    private static Digest chain(String name) {
        return Digest.ofString(name);
    }

    /** A prepared tree holding one file whose name and text are {@code marker}. */
    private Preparation preparedWith(String marker) throws Exception {
        Preparation p = snapshots.prepare();
        Files.writeString(p.fs().resolve(marker), marker);
        return p;
    }

    /** Files anywhere under the root whose name is {@code marker}: a snapshot's bytes, wherever they went. */
    private long filesNamed(String marker) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().equals(marker)).count();
        }
    }

    @Test
    void aPreparationIsEmptyPrivateAndFreshEachTime() throws Exception {
        Preparation a = snapshots.prepare();
        Preparation b = snapshots.prepare();
        assertNotEquals(a.fs(), b.fs());
        try (Stream<Path> s = Files.list(a.fs())) {
            assertEquals(0, s.count(), "empty");
        }
        assertEquals(Set.of(), snapshots.list(), "not a snapshot until committed");
        a.discard();
        assertFalse(Files.exists(a.fs()));
        assertTrue(Files.isDirectory(b.fs()), "discarding one leaves the other");
    }

    @Test
    void aCommitMakesThePreparedTreeTheSnapshot() throws Exception {
        Digest c = chain("layer-1");
        assertFalse(snapshots.exists(c));
        Preparation p = preparedWith("m1");
        snapshots.commit(p, c, List.of());
        assertTrue(snapshots.exists(c));
        assertEquals("m1", Files.readString(snapshots.path(c).resolve("m1")));
        assertFalse(Files.exists(p.fs()), "moved, not copied");
        assertEquals(Set.of(c), snapshots.list());
    }

    @Test
    void aSecondCommitOfTheSameChainKeepsTheFirstAndDropsItsOwnTree() throws Exception {
        Digest c = chain("layer-1");
        snapshots.commit(preparedWith("first"), c, List.of());
        Preparation late = preparedWith("second");
        snapshots.commit(late, c, List.of());
        assertTrue(Files.exists(snapshots.path(c).resolve("first")));
        assertFalse(Files.exists(snapshots.path(c).resolve("second")));
        assertEquals(0, filesNamed("second"), "the later tree is discarded");
    }

    @Test
    void pullsRacingToCommitOneLayerAllEndWithTheSameSnapshot() throws Exception {
        Digest c = chain("shared");
        int racers = 6;
        CyclicBarrier start = new CyclicBarrier(racers);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<?>> commits = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String marker = "racer-" + i;
                commits.add(pool.submit(() -> {
                    Preparation p = preparedWith(marker);
                    start.await();
                    snapshots.commit(p, c, List.of());
                    return null;
                }));
            }
            for (Future<?> f : commits) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> s = Files.list(snapshots.path(c))) {
            assertEquals(1, s.count(), "exactly one racer's tree");
        }
        long left = 0;
        for (int i = 0; i < racers; i++) {
            left += filesNamed("racer-" + i);
        }
        assertEquals(1, left, "the losers' trees are gone");
        assertEquals(Set.of(c), snapshots.list());
    }

    @Test
    void detachTakesASnapshotOutOfViewAtOnceAndPurgeDeletesItsFiles() throws Exception {
        Digest gone = chain("gone");
        Digest kept = chain("kept");
        snapshots.commit(preparedWith("g"), gone, List.of());
        snapshots.commit(preparedWith("k"), kept, List.of());
        snapshots.detach(gone);
        assertFalse(snapshots.exists(gone));
        assertEquals(Set.of(kept), snapshots.list());
        snapshots.purgeDetached();
        assertEquals(0, filesNamed("g"));
        assertEquals(1, filesNamed("k"));
        snapshots.detach(gone); // gone already: not an error
        snapshots.purgeDetached();
    }

    @Test
    void removeIsDetachAndPurgeAndForgivesWhatIsGone() throws Exception {
        Digest c = chain("layer");
        snapshots.commit(preparedWith("r"), c, List.of());
        snapshots.remove(c);
        snapshots.remove(c);
        assertFalse(snapshots.exists(c));
        assertEquals(0, filesNamed("r"));
        snapshots.commit(preparedWith("again"), c, List.of());
        assertTrue(snapshots.exists(c), "a removed chain can be unpacked again");
    }

    @Test
    void aRestartClearsUnfinishedPreparationsAndDetachedSnapshotsAndKeepsCommittedOnes() throws Exception {
        Digest kept = chain("kept");
        snapshots.commit(preparedWith("k"), kept, List.of());
        snapshots.commit(preparedWith("d"), chain("detached"), List.of());
        snapshots.detach(chain("detached"));
        Preparation interrupted = preparedWith("half");
        snapshots = open(root);
        assertFalse(Files.exists(interrupted.fs()), "an unpack a kill -9 interrupted");
        assertEquals(0, filesNamed("half") + filesNamed("d"));
        assertEquals(Set.of(kept), snapshots.list());
        assertEquals("k", Files.readString(snapshots.path(kept).resolve("k")));
    }
}
