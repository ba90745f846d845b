package io.ocimount.image;

import io.ocimount.oci.Platform;
import io.ocimount.unpack.LayerLimits;

/**
 * Pull behaviour: which platform to pick from an index, how many layers to fetch and unpack at once, how many
 * layers an image may have, and the bounds on each layer's contents.
 */
public record PullSettings(Platform platform, int maxConcurrentDownloads, int maxLayers, LayerLimits layerLimits) {
    public static PullSettings defaults() {
        return new PullSettings(Platform.host(), 3, 128, LayerLimits.defaults());
    }
}
