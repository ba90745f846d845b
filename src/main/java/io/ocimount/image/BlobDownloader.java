package io.ocimount.image;

import io.ocimount.content.ContentStore;
import io.ocimount.content.Ingest;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.registry.RegistrySession;
import java.io.IOException;
import java.io.InputStream;

/**
 * Copies one blob from the registry into the content store. A body that breaks or ends early is resumed with
 * Range from what the ingest holds, a bounded number of times; size and digest are checked by the ingest.
 */
final class BlobDownloader {
    static final int MAX_RESUMES = 5;
    private final ContentStore store;

    BlobDownloader(ContentStore store) {
        this.store = store;
    }

    void download(RegistrySession session, Descriptor desc, Cancellation cancel) {
        if (store.has(desc.digest())) {
            return;
        }
        try (Ingest ingest = store.ingest(desc)) {
            int resumes = 0;
            String lastProblem = "";
            while (true) {
                cancel.check();
                long before = ingest.offset();
                try (InputStream in = session.openBlob(desc, ingest.offset(), cancel)) {
                    cancel.closeOnCancel(in);
                    copy(in, ingest);
                    cancel.forget(in);
                    if (ingest.offset() == desc.size()) {
                        break;
                    }
                    lastProblem = "body ended after " + ingest.offset() + " of " + desc.size() + " bytes";
                } catch (IOException e) {
                    cancel.check();
                    lastProblem = "connection broke after " + ingest.offset() + " of " + desc.size() + " bytes: " + e.getMessage();
                }
                if (++resumes > MAX_RESUMES) {
                    throw new OciMountException(ErrorKind.DATA_LOSS, "blob " + desc.digest() + " truncated: "
                            + lastProblem + " (gave up after " + MAX_RESUMES + " resumes)");
                }
                if (ingest.offset() == before && resumes > 1) {
                    sleep(100L * resumes, cancel);
                }
            }
            ingest.commit();
        }
    }

    private static void copy(InputStream in, Ingest ingest) throws IOException {
        byte[] buf = new byte[1 << 17];
        int n;
        while ((n = in.read(buf)) > 0) {
            ingest.write(buf, 0, n);
        }
    }

    private static void sleep(long ms, Cancellation cancel) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cancel.check();
    }
}
