package io.ocimount.registry;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Breaks a body read that gets nothing for the stall timeout: a peer that stops sending without closing would
 * otherwise hold the reader forever. Only time spent inside {@link #read} counts, so a reader that is slow to
 * come back for more is never taken for a stalled peer. One reader at a time.
 */
final class StallWatch implements AutoCloseable {
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ocimount-stall-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final Duration timeout;
    private final ScheduledFuture<?> check;
    private volatile long readSince;
    private Thread reader; // guarded by this: set only while blocked in a read
    private InputStream body; // guarded by this: the stream being read
    private boolean broke; // guarded by this

    StallWatch(Duration timeout) {
        this.timeout = timeout;
        long period = Math.max(100, timeout.toMillis() / 4);
        this.check = WATCHDOG.scheduleAtFixedRate(this::breakIfStalled, period, period, TimeUnit.MILLISECONDS);
    }

    /** {@code in.read}, which this breaks (closing {@code in}) when it returns nothing within the timeout. */
    int read(InputStream in, byte[] buf, int off, int len) throws IOException {
        synchronized (this) {
            reader = Thread.currentThread();
            body = in;
            readSince = System.nanoTime();
        }
        try {
            return in.read(buf, off, len);
        } finally {
            synchronized (this) {
                reader = null;
                body = null;
                if (broke) {
                    Thread.interrupted(); // the interrupt was for that read only
                }
            }
        }
    }

    /** Whether the last failed read was broken by this (a stall); asking clears it. */
    synchronized boolean tookStall() {
        boolean b = broke;
        broke = false;
        return b;
    }

    private void breakIfStalled() {
        InputStream stuck;
        synchronized (this) {
            if (reader == null || System.nanoTime() - readSince < timeout.toNanos()) {
                return;
            }
            broke = true;
            stuck = body;
            reader.interrupt(); // the JDK client's body stream waits in a queue that close alone does not wake
        }
        try {
            stuck.close();
        } catch (IOException | RuntimeException ignored) {
            // breaking the body is all that is wanted
        }
    }

    @Override
    public void close() {
        check.cancel(false);
    }
}
