package io.ocimount.metrics;

/**
 * What the domain reports, behind one small interface so that no domain class imports the exporter.
 * {@link #NONE} drops everything (tests, and a daemon with metrics off still counts nothing it would not show).
 */
public interface Meters {
    /** One PullImage (or the pull inside a mount): {@code result} is "ok" or "error". */
    void pull(String result, double seconds);

    void bytesFetched(long bytes);

    void layerReused();

    void layerUnpacked(double seconds);

    /** One MountVolume call, then exactly one of succeeded or failed. */
    void volumeRequested();

    void volumeMounted();

    /** A mount that failed with ImageVolumeMountFailed (kubelet counts only those as errors). */
    void volumeMountFailed();

    /** Image garbage collection removed an image: {@code reason} is "space" or "age" (kubelet's reasons). */
    void imageCollected(String reason, long freedBytes);

    /** A tag resolved to another digest than at its last pull. */
    void tagMoved();

    /** The trust policy refused a pull or mount: {@code reason} is one of a few fixed words (see policy.Decision). */
    void policyDenied(String reason);

    Meters NONE = new Meters() {
        @Override
        public void pull(String result, double seconds) {
        }

        @Override
        public void bytesFetched(long bytes) {
        }

        @Override
        public void layerReused() {
        }

        @Override
        public void layerUnpacked(double seconds) {
        }

        @Override
        public void volumeRequested() {
        }

        @Override
        public void volumeMounted() {
        }

        @Override
        public void volumeMountFailed() {
        }

        @Override
        public void imageCollected(String reason, long freedBytes) {
        }

        @Override
        public void tagMoved() {
        }

        @Override
        public void policyDenied(String reason) {
        }
    };
}
