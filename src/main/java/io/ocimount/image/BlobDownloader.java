package io.ocimount.image;

import io.ocimount.content.ContentStore;
import io.ocimount.content.Ingest;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.metrics.Meters;
import io.ocimount.oci.Descriptor;
import io.ocimount.registry.RegistrySession;
import java.io.IOException;
import java.time.Duration;

/** Copies one blob from the registry into the content store; size and digest are checked by the ingest. */
final class BlobDownloader {
    private final ContentStore store;
    private final Duration stallTimeout;

    private final Meters meters;

    BlobDownloader(ContentStore store, Duration stallTimeout, Meters meters) {
        this.meters = meters;
        this.store = store;
        this.stallTimeout = stallTimeout;
    }

    void download(RegistrySession session, Descriptor desc, Cancellation cancel) {
        if (store.has(desc.digest())) {
            return;
        }
        try (Ingest ingest = store.ingest(desc); ResumingBlobStream in = new ResumingBlobStream(session, desc, ingest, false, stallTimeout, meters, cancel)) {
            ResumingBlobStream.drain(in);
            ingest.commit();
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "download blob " + desc.digest() + ": " + e.getMessage(), e);
        }
    }
}
