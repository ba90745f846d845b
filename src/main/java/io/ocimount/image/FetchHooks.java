package io.ocimount.image;

import io.ocimount.metrics.Meters;
import java.time.Duration;

/** What watches one blob download: the stall timeout, the meters, and the caller's progress observer. */
record FetchHooks(Duration stallTimeout, Meters meters, PullObserver observer) {
    FetchHooks with(PullObserver other) {
        return new FetchHooks(stallTimeout, meters, other);
    }
}
