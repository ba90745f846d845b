package io.ocimount.image;

import io.ocimount.oci.Platform;
import io.ocimount.unpack.LayerLimits;
import java.time.Duration;

/**
 * Pull behaviour: which platform to pick from an index, how many layers to fetch and unpack at once, how many
 * layers an image may have, the bounds on each layer's contents, and how long a blob body may send nothing
 * before it is broken off and resumed.
 */
public record PullSettings(Platform platform, int maxConcurrentDownloads, int maxLayers, LayerLimits layerLimits,
                           Duration stallTimeout) {
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    public PullSettings(Platform platform, int maxConcurrentDownloads, int maxLayers, LayerLimits layerLimits) {
        this(platform, maxConcurrentDownloads, maxLayers, layerLimits, DEFAULT_STALL_TIMEOUT);
    }

    public static PullSettings defaults() {
        return new PullSettings(Platform.host(), 3, 128, LayerLimits.defaults());
    }
}
