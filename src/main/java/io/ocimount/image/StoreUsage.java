package io.ocimount.image;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Bytes and inodes under the store root, cached briefly because kubelet asks often and a walk is not free. */
public final class StoreUsage {
    public record Usage(long bytes, long inodes, long timestampNanos) {
    }

    private static final long CACHE_NANOS = 2_000_000_000L;
    private final Path root;
    private Usage cached;
    private long cachedAt;

    StoreUsage(Path root) {
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

    private Usage walk() {
        long[] totals = new long[2];
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    totals[1]++;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    totals[0] += attrs.size();
                    totals[1]++;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE; // removed while we walked
                }
            });
        } catch (IOException ignored) {
            // report what was counted
        }
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        return new Usage(totals[0], totals[1], nowNanos);
    }
}
