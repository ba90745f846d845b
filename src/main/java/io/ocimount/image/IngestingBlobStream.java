package io.ocimount.image;

import io.ocimount.content.Ingest;
import io.ocimount.metrics.Meters;
import io.ocimount.streams.BlockInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A blob read from its first byte to its last while it goes into its ingest: the bytes an earlier attempt left
 * there are replayed from disk (when the reader needs them), the rest comes from the registry's stream and is
 * written to the ingest as it passes. The pull's observer hears how much is held after each write; the meter
 * gets the bytes fetched when the stream is closed.
 */
final class IngestingBlobStream extends BlockInputStream {
    private final Ingest ingest;
    private final InputStream registry;
    private final String digest;
    private final PullObserver observer;
    private final Meters meters;
    private InputStream replay;
    private long fetched;

    /** @param registry the blob's bytes from {@code ingest.offset()} on (a resuming registry stream) */
    IngestingBlobStream(Ingest ingest, boolean replayHeld, InputStream registry, String digest, PullObserver observer,
                        Meters meters) {
        this.ingest = ingest;
        this.registry = registry;
        this.digest = digest;
        this.observer = observer;
        this.meters = meters;
        this.replay = replayHeld && ingest.offset() > 0 ? ingest.readBack() : null;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (replay != null) {
            int n = replay.read(buf, off, len);
            if (n > 0) {
                return n;
            }
            replay.close();
            replay = null;
        }
        int n = registry.read(buf, off, len);
        if (n > 0) {
            ingest.write(buf, off, n);
            fetched += n;
            observer.fetched(digest, ingest.offset());
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        meters.bytesFetched(fetched);
        fetched = 0;
        InputStream held = replay;
        replay = null;
        try {
            if (held != null) {
                held.close();
            }
        } finally {
            registry.close();
        }
    }
}
