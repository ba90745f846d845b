package io.ocimount.image;

import io.ocimount.oci.Platform;

/** Pull behaviour: which platform to pick from an index, how many layers at once, how many layers at most. */
public record PullSettings(Platform platform, int maxConcurrentDownloads, int maxLayers) {
    public static PullSettings defaults() {
        return new PullSettings(Platform.host(), 3, 128);
    }
}
