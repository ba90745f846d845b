package io.ocimount.pack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip on every core, as pigz does: the input is cut into 1 MiB blocks, each deflated on its own, primed with the
 * 32 KiB before it and ended with a sync flush, and the pieces joined into one ordinary gzip member. The bytes
 * depend only on the input (not on the number of threads), so packs stay reproducible. {@link #close()} writes
 * the trailer but leaves the underlying stream open.
 */
final class ParallelGzipOutputStream extends OutputStream {
    static final int BLOCK = 1 << 20;
    private static final int DICTIONARY = 32 << 10;
    private static final int LEVEL = 6; // gzip's and Docker's default
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}; // no name, mtime 0
    private final OutputStream out;
    private final ExecutorService pool;
    private final int maxPending;
    private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private byte[] block = new byte[BLOCK];
    private int fill;
    private byte[] dictionary;
    private long total;
    private boolean closed;

    ParallelGzipOutputStream(OutputStream out, int threads) throws IOException {
        this.out = out;
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ocimount-gzip");
            t.setDaemon(true);
            return t;
        });
        this.maxPending = 2 * threads;
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, BLOCK - fill);
            System.arraycopy(b, off, block, fill, n);
            fill += n;
            off += n;
            len -= n;
            if (fill == BLOCK) {
                submit(false);
            }
        }
    }

    private void submit(boolean last) throws IOException {
        byte[] input = fill == BLOCK ? block : Arrays.copyOf(block, fill);
        byte[] dict = dictionary;
        crc.update(input, 0, fill);
        total += fill;
        dictionary = Arrays.copyOfRange(input, Math.max(0, fill - DICTIONARY), fill);
        pending.add(pool.submit(() -> deflate(input, dict, last)));
        block = new byte[BLOCK];
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

    private static byte[] deflate(byte[] input, byte[] dict, boolean last) {
        Deflater d = new Deflater(LEVEL, true);
        try {
            if (dict != null && dict.length > 0) {
                d.setDictionary(dict);
            }
            d.setInput(input);
            ByteArrayOutputStream piece = new ByteArrayOutputStream(input.length / 2 + 64);
            byte[] buf = new byte[64 << 10];
            if (last) {
                d.finish();
                while (!d.finished()) {
                    piece.write(buf, 0, d.deflate(buf));
                }
            } else {
                int n;
                do { // a sync flush ends on a byte boundary, so the next block's bits can follow directly
                    n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                    piece.write(buf, 0, n);
                } while (n == buf.length || !d.needsInput());
            }
            return piece.toByteArray();
        } finally {
            d.end();
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
            byte[] trailer = new byte[8];
            int c = (int) crc.getValue();
            int size = (int) total;
            for (int i = 0; i < 4; i++) {
                trailer[i] = (byte) (c >>> (8 * i));
                trailer[4 + i] = (byte) (size >>> (8 * i));
            }
            out.write(trailer);
            out.flush();
        } finally {
            pool.shutdownNow();
        }
    }
}
