package io.ocimount.pack;

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
 * gzip on every core, as pigz does: the input is cut into 1 MiB blocks, each encoded on its own, primed with the
 * 32 KiB before it and ended on a byte boundary, and the pieces joined into one ordinary gzip member. Within a block,
 * 1 KiB slices whose bytes look random (compressed files, already-random data) are written as stored deflate blocks
 * rather than deflated: zlib spends most of its time failing to find matches there (a few tens of MB/s on such
 * data, against memory speed for storing) and saves nothing. Each block's bytes depend only on its own bytes and the
 * 32 KiB before it, never on the number of threads or on timing, so packs stay reproducible. {@link #close()} writes
 * the trailer but leaves the underlying stream open.
 */
final class ParallelGzipOutputStream extends OutputStream {
    static final int BLOCK = 1 << 20;
    static final int SLICE = 1 << 10; // the unit of the store-or-deflate choice
    private static final int DICTIONARY = 32 << 10;
    private static final int LEVEL = 6; // gzip's and Docker's default
    private static final int MAX_STORED = 65535; // the most one stored deflate block holds
    /**
     * Order-0 entropy (bits per byte) from which a slice is stored: Huffman codes would save at most 1/16 of it.
     * A 1 KiB slice of random bytes measures 7.7 to 7.9 (a small sample reads low), text about 5, machine code
     * mostly 5 to 6.5. Random-looking slices that repeat bytes of the 32 KiB before them are deflated all the same
     * ({@link #keepRepeats}): a file stored twice, a tiled pattern.
     */
    private static final double STORE_BITS = 7.5;
    /** A random-looking slice is probed for repeats every this many bytes: 64 probes a slice. */
    private static final int PROBE = 16;
    private static final int HASH_BITS = 16;
    /** n * log2(n) for n up to a slice; StrictMath so that the choice is the same on every machine. */
    private static final double[] N_LOG_N = new double[SLICE + 1];
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}; // no name, mtime 0
    private static final byte[] LAST = {3, 0}; // an empty final block (fixed Huffman codes), as zlib writes it

    static {
        for (int n = 1; n <= SLICE; n++) {
            N_LOG_N[n] = n * StrictMath.log(n) / StrictMath.log(2);
        }
    }

    private final OutputStream out;
    private final ExecutorService pool;
    private final int maxPending;
    private final Deque<Future<byte[]>> pending = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private byte[] block = new byte[DICTIONARY + BLOCK]; // the history (up to 32 KiB) then the block's bytes
    private int history;
    private int fill;
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
        crc.update(input, from, len);
        total += len;
        pending.add(pool.submit(() -> encode(input, from, len, last)));
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

    /**
     * Raw deflate of {@code b[from, from + len)}, which may refer back to the bytes before {@code from} (at most
     * 32 KiB of them are used). Consecutive slices with the same choice are one run: a run of random-looking slices
     * is stored, any other run deflated, or stored too when deflate would not make it smaller. Every run but the
     * stream's last ends on a byte boundary (a sync flush), so pieces can simply be joined. A block without stored
     * runs is deflated exactly as before slices existed, so such packs keep their digests.
     */
    static byte[] encode(byte[] b, int from, int len, boolean last) {
        int end = from + len;
        int slices = (len + SLICE - 1) / SLICE;
        boolean[] random = new boolean[slices];
        int[] counts = new int[256];
        for (int i = 0; i < slices; i++) {
            int off = from + i * SLICE;
            random[i] = looksRandom(b, off, Math.min(SLICE, end - off), counts);
        }
        keepRepeats(b, from, end, random);
        byte[] out = new byte[len + 5 * (slices + len / MAX_STORED + 1) + LAST.length]; // no run beyond stored size
        int pos = 0;
        boolean ended = false;
        Deflater d = new Deflater(LEVEL, true);
        try {
            for (int i = 0, j; i < slices; i = j) {
                for (j = i + 1; j < slices && random[j] == random[i]; j++) {
                    // slices i to j - 1 make one run
                }
                int start = from + i * SLICE;
                int stop = Math.min(end, from + j * SLICE);
                boolean finish = last && stop == end;
                int limit = storedSize(stop - start) + (finish ? LAST.length : 0);
                int deflated = random[i] ? -1 : deflate(d, b, start, stop, finish, out, pos, limit);
                ended = deflated >= 0 && finish;
                pos = deflated >= 0 ? pos + deflated : stored(b, start, stop, out, pos);
            }
        } finally {
            d.end();
        }
        if (last && !ended) { // nothing, or a stored run, came last
            System.arraycopy(LAST, 0, out, pos, LAST.length);
            pos += LAST.length;
        }
        return Arrays.copyOf(out, pos);
    }

    /**
     * Clears the mark of random-looking slices that repeat what came within 32 KiB before them, which deflate turns
     * into matches (a byte histogram cannot see a repeat). One pass over the 32 KiB before {@code from} and the
     * block, keeping the last position of each 8-byte window's hash; a quarter of a slice's probes finding the same
     * 8 bytes within reach makes it a repeat. A function of the bytes only, like every other choice here.
     */
    private static void keepRepeats(byte[] b, int from, int end, boolean[] random) {
        int[] hits = new int[random.length];
        int[] last = new int[1 << HASH_BITS];
        Arrays.fill(last, -1);
        for (int p = Math.max(0, from - DICTIONARY); p + 8 <= end; p++) {
            int h = hash8(b, p);
            int q = last[h];
            last[h] = p;
            int slice = (p - from) / SLICE;
            if (p >= from && (p - from) % PROBE == 0 && random[slice] && q >= 0 && p - q <= DICTIONARY
                    && Arrays.equals(b, p, p + 8, b, q, q + 8)) {
                hits[slice]++;
            }
        }
        for (int i = 0; i < random.length; i++) {
            if (random[i] && hits[i] * 4 >= SLICE / PROBE) {
                random[i] = false;
            }
        }
    }

    private static int hash8(byte[] b, int p) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[p + i] & 0xff);
        }
        return (int) ((v * 0x9E3779B97F4A7C15L) >>> (64 - HASH_BITS));
    }

    /** Order-0 entropy of the slice, from its byte histogram: cheap (one pass) and a function of the bytes only. */
    private static boolean looksRandom(byte[] b, int off, int n, int[] counts) {
        Arrays.fill(counts, 0);
        for (int i = off; i < off + n; i++) {
            counts[b[i] & 0xff]++;
        }
        double sum = 0;
        for (int c : counts) {
            sum += N_LOG_N[c];
        }
        return N_LOG_N[n] - sum >= STORE_BITS * n; // the entropy in bits: n log n - sum of c log c
    }

    /** Deflates {@code b[start, stop)} into {@code out} at {@code pos}; its length, or -1 if it needs limit or more. */
    private static int deflate(Deflater d, byte[] b, int start, int stop, boolean finish, byte[] out, int pos,
            int limit) {
        d.reset();
        int dict = Math.min(DICTIONARY, start);
        if (dict > 0) {
            d.setDictionary(b, start - dict, dict);
        }
        d.setInput(b, start, stop - start);
        if (finish) {
            d.finish();
        }
        // one call that has to fit: a sync flush ends on a byte boundary, so the next run's bits follow directly
        int n = d.deflate(out, pos, limit, Deflater.SYNC_FLUSH);
        return n < limit && (finish ? d.finished() : d.needsInput()) ? n : -1;
    }

    private static int storedSize(int n) {
        return n + 5 * Math.max(1, (n + MAX_STORED - 1) / MAX_STORED);
    }

    /** Stored blocks: BFINAL 0, BTYPE 00 (a zero byte, the stream being byte-aligned), LEN, NLEN, the bytes. */
    private static int stored(byte[] b, int start, int stop, byte[] out, int pos) {
        do {
            int n = Math.min(MAX_STORED, stop - start);
            out[pos] = 0;
            out[pos + 1] = (byte) n;
            out[pos + 2] = (byte) (n >>> 8);
            out[pos + 3] = (byte) ~n;
            out[pos + 4] = (byte) (~n >>> 8);
            System.arraycopy(b, start, out, pos + 5, n);
            pos += 5 + n;
            start += n;
        } while (start < stop);
        return pos;
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
