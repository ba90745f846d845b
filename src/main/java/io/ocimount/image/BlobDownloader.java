package io.ocimount.image;

import io.ocimount.content.ContentStore;
import io.ocimount.content.Ingest;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.registry.RegistrySession;
import java.io.IOException;
import java.util.function.LongConsumer;

/** Copies one blob from the registry into the content store; size and digest are checked by the ingest. */
final class BlobDownloader {
    private final ContentStore store;
    private final LongConsumer roomFor;

    /** @param roomFor called with a blob's size before it is fetched, to free space when the disk is short */
    BlobDownloader(ContentStore store, LongConsumer roomFor) {
        this.store = store;
        this.roomFor = roomFor;
    }

    void download(RegistrySession session, Descriptor desc, FetchHooks hooks, Cancellation cancel) {
        if (store.has(desc.digest())) {
            return;
        }
        roomFor.accept(desc.size());
        try (Ingest ingest = store.ingest(desc); ResumingBlobStream in = new ResumingBlobStream(session, desc, ingest, false, hooks, cancel)) {
            ResumingBlobStream.drain(in);
            ingest.commit();
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "download blob " + desc.digest() + ": " + e.getMessage(), e);
        }
    }
}
