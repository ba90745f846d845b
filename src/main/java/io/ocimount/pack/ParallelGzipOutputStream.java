package io.ocimount.pack;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;

/**
 * gzip on every core, as pigz does: the input is cut into 1 MiB blocks, each encoded on its own by the engine's
 * {@link GzipBlocks} with the 32 KiB before it at hand, and the pieces written in order. Each block's bytes depend
 * only on its own bytes and the 32 KiB before it, never on the number of threads or on timing, so packs stay
 * reproducible. {@link #close()} finishes the gzip stream but leaves the underlying stream open.
 */
final class ParallelGzipOutputStream extends OutputStream {
    static final int BLOCK = 1 << 20;
    static final int SLICE = SliceKinds.SLICE;
    private static final int DICTIONARY = SliceKinds.DICTIONARY;

    private final OutputStream out;
    private final GzipBlocks blocks;
    private final ExecutorService pool;
    private final int maxPending;
    private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private byte[] block = new byte[DICTIONARY + BLOCK]; // the history (up to 32 KiB) then the block's bytes
    private int history;
    private int fill;
    private long total;
    private boolean closed;

    ParallelGzipOutputStream(OutputStream out, int threads, GzipEngine engine) throws IOException {
        this.out = out;
        this.blocks = engine.blocks();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ocimount-gzip");
            t.setDaemon(true);
            return t;
        });
        this.maxPending = 2 * threads;
        out.write(blocks.start());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, BLOCK - fill);
            System.arraycopy(b, off, block, history + fill, n);
            fill += n;
            off += n;
            len -= n;
            if (fill == BLOCK) {
                submit(false);
            }
        }
    }

    private void submit(boolean last) throws IOException {
        byte[] input = block;
        int from = history;
        int len = fill;
        if (blocks.endsWithCrc()) {
            crc.update(input, from, len);
        }
        total += len;
        pending.add(pool.submit(() -> blocks.encode(input, from, len, last)));
        int end = from + len;
        history = Math.min(DICTIONARY, end);
        block = new byte[DICTIONARY + BLOCK];
        System.arraycopy(input, end - history, block, 0, history);
        fill = 0;
        while (pending.size() > maxPending || (last && !pending.isEmpty())) {
            writeOldest();
        }
    }

    private void writeOldest() throws IOException {
        try {
            out.write(pending.removeFirst().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("gzip interrupted");
        } catch (ExecutionException e) {
            throw new IOException("gzip block: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            submit(true);
            out.write(blocks.end(crc.getValue(), total));
            out.flush();
        } finally {
            pool.shutdownNow();
        }
    }
}
