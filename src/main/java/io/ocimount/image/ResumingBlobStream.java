package io.ocimount.image;

import io.ocimount.content.Ingest;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.metrics.Meters;
import io.ocimount.oci.Descriptor;
import io.ocimount.registry.RegistrySession;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A blob read from start to end exactly once, whatever the network does: bytes an earlier attempt left in the
 * ingest are replayed from disk, the rest comes from the registry and is written to the ingest as it is read.
 * A body that breaks, ends early, or sends nothing for {@code stallTimeout} (a peer that stops without closing
 * would otherwise hold the pull forever) is resumed with Range, a bounded number of times.
 */
final class ResumingBlobStream extends InputStream {
    static final int MAX_RESUMES = 5;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ocimount-stall-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final RegistrySession session;
    private final Descriptor desc;
    private final Ingest ingest;
    private final Cancellation cancel;
    private InputStream replay;
    private InputStream body;
    private int resumes;
    private String lastProblem = "";
    private final long stallNanos;
    private final Meters meters;
    private final PullObserver observer;
    private long fetched;
    private final ScheduledFuture<?> watch;
    private volatile long lastProgress = System.nanoTime();
    private Thread readingThread; // guarded by this: set only while blocked in body.read
    private boolean stalled; // guarded by this

    /** @param replayHeld whether a reader needs the bytes the ingest already holds (an unpack does, a copy not) */
    ResumingBlobStream(RegistrySession session, Descriptor desc, Ingest ingest, boolean replayHeld, FetchHooks hooks,
                       Cancellation cancel) {
        this.meters = hooks.meters();
        this.observer = hooks.observer();
        this.stallNanos = hooks.stallTimeout().toNanos();
        long period = Math.max(100, hooks.stallTimeout().toMillis() / 4);
        this.watch = WATCHDOG.scheduleAtFixedRate(this::checkStall, period, period, TimeUnit.MILLISECONDS);
        this.session = session;
        this.desc = desc;
        this.ingest = ingest;
        this.cancel = cancel;
        this.replay = replayHeld && ingest.offset() > 0 ? ingest.readBack() : null;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (replay != null) {
            int n = replay.read(buf, off, len);
            if (n > 0) {
                return n;
            }
            replay.close();
            replay = null;
        }
        while (true) {
            if (ingest.offset() == desc.size()) {
                return -1;
            }
            long before = ingest.offset();
            if (body == null) {
                cancel.check();
                body = session.openBlob(desc, ingest.offset(), cancel);
                cancel.closeOnCancel(body);
                lastProgress = System.nanoTime();
            }
            try {
                int n = timedRead(buf, off, len);
                if (n > 0) {
                    ingest.write(buf, off, n);
                    fetched += n;
                    observer.fetched(desc.digest().toString(), ingest.offset());
                    return n;
                }
                lastProblem = "body ended after " + ingest.offset() + " of " + desc.size() + " bytes";
            } catch (IOException e) {
                cancel.check();
                lastProblem = wasStalled() ? "no data for " + stallNanos / 1_000_000_000L + " s after " + ingest.offset()
                        + " of " + desc.size() + " bytes"
                        : "connection broke after " + ingest.offset() + " of " + desc.size() + " bytes: " + e.getMessage();
            }
            closeBody();
            if (++resumes > MAX_RESUMES) {
                throw new OciMountException(ErrorKind.DATA_LOSS, "blob " + desc.digest() + " truncated: " + lastProblem
                        + " (gave up after " + MAX_RESUMES + " resumes)");
            }
            if (ingest.offset() == before && resumes > 1) {
                sleep(100L * resumes);
            }
        }
    }

    /** body.read, with the watchdog allowed to break it (close, and interrupt the blocked thread) meanwhile. */
    private int timedRead(byte[] buf, int off, int len) throws IOException {
        synchronized (this) {
            readingThread = Thread.currentThread();
        }
        try {
            int n = body.read(buf, off, len);
            lastProgress = System.nanoTime();
            return n;
        } finally {
            synchronized (this) {
                readingThread = null;
                if (stalled) {
                    Thread.interrupted(); // the watchdog's interrupt was for that read only
                }
            }
        }
    }

    private synchronized boolean wasStalled() {
        boolean s = stalled;
        stalled = false;
        return s;
    }

    private void checkStall() {
        InputStream stuck;
        synchronized (this) {
            if (readingThread == null || System.nanoTime() - lastProgress < stallNanos) {
                return;
            }
            stalled = true;
            stuck = body;
            readingThread.interrupt(); // the JDK client's body stream waits in a queue that close alone does not wake
        }
        try {
            if (stuck != null) {
                stuck.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // breaking the body is all that is wanted
        }
    }

    /** Reads a blob stream to its end, so that the ingest behind it holds all of it. */
    static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 17];
        while (in.read(buf, 0, buf.length) >= 0) {
            // written to the ingest on the way
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cancel.check();
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
    public void close() throws IOException {
        watch.cancel(false);
        meters.bytesFetched(fetched);
        fetched = 0;
        closeBody();
        if (replay != null) {
            replay.close();
            replay = null;
        }
    }
}
