package io.ocimount.image;

/** Hears how a pull goes, layer by layer; calls come from the pull's own threads and must be cheap. */
public interface PullObserver {
    /** The layers to come, before any is fetched. */
    void layer(String digest, long size);

    /** Bytes of the blob held so far (a resumed download starts where it left off). */
    void fetched(String digest, long bytes);

    void done(String digest, boolean reused);

    PullObserver NONE = new PullObserver() {
        @Override
        public void layer(String digest, long size) {
        }

        @Override
        public void fetched(String digest, long bytes) {
        }

        @Override
        public void done(String digest, boolean reused) {
        }
    };
}
