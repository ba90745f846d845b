package io.ocimount.image;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;


/** Bytes and inodes under the store root, cached briefly because kubelet asks often and a walk is not free. */
public final class StoreUsage {
    public record Usage(long bytes, long inodes, long timestampNanos) {
    }

    private static final long CACHE_NANOS = 2_000_000_000L;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private final Path root;
    private Usage cached;
    private long cachedAt;

    public StoreUsage(Path root) {
        this.root = root;
    }

    synchronized void invalidate() {
        cached = null;
    }

    synchronized Usage get() {
        long now = System.nanoTime();
        if (cached == null || now - cachedAt > CACHE_NANOS) {
            cached = walk();
            cachedAt = now;
        }
        return cached;
    }

    /**
     * One stat per entry, as a walk with basic attributes would do, but reading the link count: a file with
     * several names (an artifact's file is a hard link to its blob; tar layers have hard links) is counted once.
     */
    private Usage walk() {
        long[] totals = new long[2];
        Set<Long> linked = new HashSet<>();
        Deque<Path> dirs = new ArrayDeque<>(List.of(root));
        while (!dirs.isEmpty()) {
            Path dir = dirs.pop();
            totals[1]++;
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path p : entries) {
                    Map<String, Object> a;
                    try {
                        a = Files.readAttributes(p, "unix:mode,size,nlink,ino", LinkOption.NOFOLLOW_LINKS);
                    } catch (IOException removedWhileWalking) {
                        continue;
                    }
                    int type = (int) a.get("mode") & S_IFMT;
                    if (type == S_IFDIR) {
                        dirs.push(p);
                        continue;
                    }
                    if ((int) a.get("nlink") > 1 && !linked.add((Long) a.get("ino"))) {
                        continue; // another name of a file already counted
                    }
                    totals[0] += (long) a.get("size");
                    totals[1]++;
                }
            } catch (IOException removedWhileWalking) {
                // count what is left
            }
        }
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        return new Usage(totals[0], totals[1], nowNanos);
    }
}
