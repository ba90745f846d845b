package io.ocimount.image;

import io.ocimount.streams.BlockInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream on a thread of its own and hands the bytes over through a small bounded queue, so that
 * fetching, hashing and storing a blob overlaps decompressing and extracting it. A failure of the source
 * (an exception of any kind) is rethrown to the reader at the point the data stops.
 */
final class ReadAhead extends BlockInputStream {
    private static final int CHUNK = 1 << 18;
    private static final byte[] END = new byte[0];
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(16);
    private final InputStream source;
    private final Thread thread;
    private volatile boolean stopped;
    private byte[] current = END;
    private int pos;
    private boolean ended;

    ReadAhead(InputStream source, String name) {
        this.source = source;
        this.thread = new Thread(this::pump, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void pump() {
        try {
            while (!stopped) {
                byte[] buf = new byte[CHUNK];
                int n = source.readNBytes(buf, 0, CHUNK);
                if (n > 0 && !hand(n == CHUNK ? buf : java.util.Arrays.copyOf(buf, n))) {
                    return;
                }
                if (n < CHUNK) {
                    hand(END);
                    return;
                }
            }
        } catch (Throwable t) {
            hand(t);
        }
    }

    private boolean hand(Object item) {
        try {
            while (!queue.offer(item, 50, TimeUnit.MILLISECONDS)) {
                if (stopped) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos == current.length) {
            if (ended) {
                return -1;
            }
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading ahead");
            }
            if (item == END) {
                ended = true;
                return -1;
            }
            if (item instanceof IOException io) {
                throw io;
            }
            if (item instanceof RuntimeException r) {
                throw r;
            }
            if (item instanceof Error err) {
                throw err;
            }
            current = (byte[]) item;
            pos = 0;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, buf, off, n);
        pos += n;
        return n;
    }

    /**
     * Stops the reading thread and waits for it, so the source is no longer touched when this returns. A read
     * blocked on a registry that sends nothing is broken by an interrupt (the JDK client's body stream wakes for
     * nothing else), so a pull that failed for another reason does not wait out the stall.
     */
    @Override
    public void close() {
        stopped = true;
        if (thread.isAlive()) {
            thread.interrupt();
        }
        queue.clear();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join(50);
                queue.clear();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
