package io.ocimount.image;

import java.time.Duration;

/**
 * When image garbage collection removes unused images, as kubelet's image GC decides (config {@code [gc]}): once
 * the store's file system is {@code highPercent} full (or a pull would make it so), the least recently used images
 * go until it is {@code lowPercent} full; an image unused for {@code maxAge} goes whatever the disk; an image pulled
 * less than {@code minAge} ago never goes; pinned ones never go.
 *
 * @param highPercent 1..100; 100 turns the collection by disk use off
 * @param maxAge      {@link Duration#ZERO} for off (kubelet's default)
 */
public record GcPolicy(int highPercent, int lowPercent, Duration maxAge, Duration minAge, PinnedImages pinned) {
    public static final int DEFAULT_HIGH_PERCENT = 85;
    public static final int DEFAULT_LOW_PERCENT = 80;
    public static final Duration DEFAULT_MIN_AGE = Duration.ofMinutes(2);

    /** @throws IllegalArgumentException when the marks are out of range or the low one is above the high one */
    public GcPolicy {
        if (highPercent < 1 || highPercent > 100) {
            throw new IllegalArgumentException("high mark " + highPercent + " is not a percentage from 1 to 100");
        }
        if (lowPercent < 0 || lowPercent > highPercent) {
            throw new IllegalArgumentException("low mark " + lowPercent + " is not a percentage from 0 to the high mark "
                    + highPercent);
        }
        if (maxAge.isNegative() || minAge.isNegative()) {
            throw new IllegalArgumentException("ages cannot be negative");
        }
    }

    /** kubelet's defaults: 85/80, no maximum age, 2 minutes minimum age, nothing pinned. */
    public static GcPolicy defaults() {
        return new GcPolicy(DEFAULT_HIGH_PERCENT, DEFAULT_LOW_PERCENT, Duration.ZERO, DEFAULT_MIN_AGE, PinnedImages.NONE);
    }
}
