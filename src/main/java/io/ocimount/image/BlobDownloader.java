package io.ocimount.image;

import io.ocimount.content.ContentStore;
import io.ocimount.content.Ingest;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.metrics.Meters;
import io.ocimount.oci.Descriptor;
import io.ocimount.registry.RegistrySession;
import io.ocimount.streams.BlockInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Brings blobs from the registry into the content store, resuming from what an earlier attempt left in the
 * ingest; size and digest are checked by the ingest, retries and stalls by the registry's stream.
 */
public final class BlobDownloader {
    private final ContentStore store;
    private final LongConsumer roomFor;
    private final Duration stallTimeout;
    private final Meters meters;

    /**
     * @param roomFor      called with a blob's size before it is fetched, to free space when the disk is short
     * @param stallTimeout how long a blob body may send nothing before it is broken off and resumed
     */
    public BlobDownloader(ContentStore store, LongConsumer roomFor, Duration stallTimeout, Meters meters) {
        this.store = store;
        this.roomFor = roomFor;
        this.stallTimeout = stallTimeout;
        this.meters = meters;
    }

    /** Stores the blob {@code desc} names, unless it is stored already. */
    void download(RegistrySession session, Descriptor desc, PullObserver observer, Cancellation cancel) {
        if (store.has(desc.digest())) {
            return;
        }
        roomFor.accept(desc.size());
        try (Ingest ingest = store.ingest(desc); IngestingBlobStream in = stream(session, desc, ingest, false, observer, cancel)) {
            BlockInputStream.drain(in);
            ingest.commit();
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "download blob " + desc.digest() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The blob as a stream that writes it into {@code ingest} as it is read; the caller commits the ingest.
     *
     * @param replayHeld whether the reader needs the bytes the ingest already holds (an unpack does, a copy not)
     */
    IngestingBlobStream stream(RegistrySession session, Descriptor desc, Ingest ingest, boolean replayHeld,
                               PullObserver observer, Cancellation cancel) {
        return new IngestingBlobStream(ingest, replayHeld, session.openBlob(desc, ingest.offset(), stallTimeout, cancel),
                desc.digest().toString(), observer, meters);
    }
}
