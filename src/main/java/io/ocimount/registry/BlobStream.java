package io.ocimount.registry;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.streams.BlockInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * A blob's bytes from an offset to its end, read once whatever the network does. A body that breaks, ends short
 * or sends nothing for the stall timeout is resumed with Range from the byte that arrived, on the host that served
 * it. Every request for the blob there (a failed status, a lost connection, a broken body) is spent from one
 * {@link RetryBudget}, so a registry that always fails gets {@code maxAttempts} requests for it. Nothing is sent
 * before the first read; the reader verifies size and digest.
 */
final class BlobStream extends BlockInputStream {
    private final BlobFetcher fetcher;
    private final BlobFetcher.Blob blob;
    private final Cancellation cancel;
    private final Duration stallTimeout;
    private StallWatch watch; // started with the first request
    private long position;
    private RegistryHost host; // the host that answered the first request, asked again for the rest
    private RetryBudget budget; // the requests left on host
    private InputStream body;
    private long repeated; // bytes before position that the body sends again (its registry ignored Range)

    BlobStream(BlobFetcher fetcher, BlobFetcher.Blob blob, long offset, Duration stallTimeout, Cancellation cancel) {
        this.fetcher = fetcher;
        this.blob = blob;
        this.position = offset;
        this.cancel = cancel;
        this.stallTimeout = stallTimeout;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (position < blob.desc().size()) {
            if (body == null) {
                open();
            }
            String problem;
            try {
                skipRepeated(buf, off, len);
                int n = watch.read(body, buf, off, len);
                if (n > 0) {
                    position += n;
                    return n;
                }
                problem = "body ended after " + progress();
            } catch (IOException e) {
                problem = whyBroken(e);
            }
            closeBody();
            waitForRetry(problem);
        }
        return -1;
    }

    /** Backs off before the next request, or gives up when the budget is spent: the body never came whole. */
    private void waitForRetry(String problem) {
        budget.backOff(attempts -> OciMountException.dataLoss("blob " + blob.desc().digest() + " truncated: " + problem
                + " (gave up after " + attempts + " attempts)"), null, cancel);
    }

    /** The first request goes to the hosts in order (mirrors first); a resume goes where the bytes came from. */
    private void open() {
        cancel.check();
        if (watch == null) {
            watch = new StallWatch(stallTimeout);
        }
        BlobFetcher.Opened opened;
        if (host == null) {
            opened = HostFallback.firstAnswer(blob.hosts(), RegistryHost::canPull, h -> {
                RetryBudget fresh = fetcher.budget();
                BlobFetcher.Opened o = fetcher.open(h, blob, position, fresh, cancel);
                host = h;
                budget = fresh;
                return o;
            }, blob.what() + ": no pull host");
        } else {
            opened = fetcher.open(host, blob, position, budget, cancel);
        }
        body = opened.body();
        repeated = opened.alreadyHeld();
        cancel.closeOnCancel(body);
    }

    /** Reads past what a registry that ignored Range sends again, using the caller's buffer. */
    private void skipRepeated(byte[] buf, int off, int len) throws IOException {
        while (repeated > 0) {
            int n = watch.read(body, buf, off, (int) Math.min(len, repeated));
            if (n < 0) {
                throw new EOFException("ended " + repeated + " bytes before byte " + position + ", where it was to resume");
            }
            repeated -= n;
        }
    }

    private String whyBroken(IOException e) {
        cancel.check();
        if (watch.tookStall()) {
            return "no data for " + stallTimeout.toSeconds() + " s after " + progress();
        }
        if (Thread.currentThread().isInterrupted()) { // the reader is being stopped (ReadAhead.close): no retry
            throw new OciMountException(ErrorKind.CANCELLED, blob.what() + ": interrupted");
        }
        return "connection broke after " + progress() + ": " + e.getMessage();
    }

    private String progress() {
        return position + " of " + blob.desc().size() + " bytes";
    }

    private void closeBody() {
        if (body != null) {
            cancel.forget(body);
            try {
                body.close();
            } catch (IOException ignored) {
                // a broken body has nothing left to give
            }
            body = null;
        }
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        closeBody();
    }
}
