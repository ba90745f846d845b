package io.ocimount.unpack;

/**
 * Bounds on what one layer may make the daemon do, enforced while streaming (a diff_id mismatch is only known
 * at the end, so a bomb must be stopped before that).
 *
 * @param maxBytes       uncompressed bytes per layer
 * @param maxEntries     tar entries per layer
 * @param maxPathLength  bytes in an entry's path or link target
 * @param maxXattrBytes  bytes of extended attributes on one entry
 */
public record LayerLimits(long maxBytes, long maxEntries, int maxPathLength, int maxXattrBytes) {
    public static LayerLimits defaults() {
        return new LayerLimits(16L << 30, 1_000_000, 4096, 64 << 10);
    }
}
