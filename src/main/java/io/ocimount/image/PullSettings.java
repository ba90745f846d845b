package io.ocimount.image;

import io.ocimount.oci.Platform;
import io.ocimount.unpack.LayerLimits;
import java.time.Duration;

/**
 * Pull behaviour: which platform to pick from an index, how many layers to fetch and unpack at once, how many
 * layers an image may have, the bounds on each layer's contents, how long a blob body may send nothing
 * before it is broken off and resumed, how long a partial download is kept for a resume, and when a caller's
 * credentials are checked before it gets an image another caller pulled.
 */
public record PullSettings(Platform platform, int maxConcurrentDownloads, int maxLayers, LayerLimits layerLimits,
                           Duration stallTimeout, Duration partialMaxAge, CredentialVerification credentialVerification) {
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);
    /** Long enough for kubelet's pull back-off (at most 5 minutes) to come back and resume. */
    public static final Duration DEFAULT_PARTIAL_MAX_AGE = Duration.ofHours(1);

    public PullSettings(Platform platform, int maxConcurrentDownloads, int maxLayers, LayerLimits layerLimits) {
        this(platform, maxConcurrentDownloads, maxLayers, layerLimits, DEFAULT_STALL_TIMEOUT);
    }

    public PullSettings(Platform platform, int maxConcurrentDownloads, int maxLayers, LayerLimits layerLimits,
                        Duration stallTimeout) {
        this(platform, maxConcurrentDownloads, maxLayers, layerLimits, stallTimeout, DEFAULT_PARTIAL_MAX_AGE);
    }

    public PullSettings(Platform platform, int maxConcurrentDownloads, int maxLayers, LayerLimits layerLimits,
                        Duration stallTimeout, Duration partialMaxAge) {
        this(platform, maxConcurrentDownloads, maxLayers, layerLimits, stallTimeout, partialMaxAge,
                CredentialVerification.NEVER_VERIFY_PRELOADED_IMAGES);
    }

    public static PullSettings defaults() {
        return new PullSettings(Platform.host(), 3, 128, LayerLimits.defaults());
    }
}
