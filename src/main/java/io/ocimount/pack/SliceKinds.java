package io.ocimount.pack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Which 1 KiB slices of a block look random (compressed files, already-random data) and are better stored than
 * deflated: a deflater spends most of its time failing to find matches there (a few tens of MB/s, against memory
 * speed for storing) and saves nothing. A function of the bytes only (the slice and the 32 KiB before it), never of
 * threads or timing, so packs stay reproducible.
 */
final class SliceKinds {
    static final int SLICE = 1 << 10;
    static final int DICTIONARY = 32 << 10; // how far back deflate looks
    /**
     * Order-0 entropy (bits per byte) from which a slice is stored: Huffman codes would save at most 1/16 of it.
     * A 1 KiB slice of random bytes measures 7.7 to 7.9 (a small sample reads low), text about 5, machine code
     * mostly 5 to 6.5. Random-looking slices that repeat bytes of the 32 KiB before them are deflated all the same
     * ({@link #keepRepeats}): a file stored twice, a tiled pattern.
     */
    private static final double STORE_BITS = 7.5;
    /** Every this many positions one is kept as a possible source of a repeat. */
    private static final int STRIDE = 8;
    /** Groups of probes in a slice, each of STRIDE consecutive positions: 64 probes a slice. */
    private static final int GROUPS = 8;
    private static final int HASH_BITS = 16;
    /** n * log2(n) for n up to a slice; StrictMath so that the choice is the same on every machine. */
    private static final double[] N_LOG_N = new double[SLICE + 1];
    /** Eight bytes as one long, big-endian: the value the hash has always been of, read in one load. */
    private static final VarHandle EIGHT = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    static {
        for (int n = 1; n <= SLICE; n++) {
            N_LOG_N[n] = n * StrictMath.log(n) / StrictMath.log(2);
        }
    }

    private SliceKinds() {
    }

    /**
     * The choice for each slice of a block: {@code stored[i]} when slice i is to be stored; {@code repeats} when
     * some random-looking slice is deflated all the same because it repeats bytes before it, which only a deflate
     * that sees those bytes can turn into matches.
     */
    record Kinds(boolean[] stored, boolean repeats) {
    }

    /** For each slice of {@code b[from, from + len)}, whether to store it; bytes before {@code from} are history. */
    static boolean[] storedSlices(byte[] b, int from, int len) {
        return of(b, from, len).stored();
    }

    /** As {@link #storedSlices}, saying also whether a repeat was found. */
    static Kinds of(byte[] b, int from, int len) {
        int end = from + len;
        int slices = (len + SLICE - 1) / SLICE;
        boolean[] random = new boolean[slices];
        int[] counts = new int[256];
        for (int i = 0; i < slices; i++) {
            int off = from + i * SLICE;
            random[i] = looksRandom(b, off, Math.min(SLICE, end - off), counts);
        }
        boolean repeats = keepRepeats(b, from, end, random);
        return new Kinds(random, repeats);
    }

    /**
     * Clears the mark of random-looking slices that repeat what came within 32 KiB before them, which deflate turns
     * into matches (a byte histogram cannot see a repeat). One pass over the 32 KiB before {@code from} and the
     * block keeps the last position of each 8-byte window's hash, for every {@link #STRIDE}th position (counted from
     * {@code from}). A random-looking slice is probed at {@link #GROUPS} groups of {@code STRIDE} consecutive
     * positions: whatever the distance of a copy, one position of each group has its source among those kept, so a
     * slice that repeats earlier bytes hits once per group, and two groups hitting make it a repeat. True when one
     * was found.
     */
    private static boolean keepRepeats(byte[] b, int from, int end, boolean[] random) {
        boolean any = false;
        for (boolean r : random) {
            any |= r;
        }
        if (!any) {
            return false; // nothing to clear: a block of text costs no pass
        }
        int[] hits = new int[random.length];
        int[] last = new int[1 << HASH_BITS];
        Arrays.fill(last, -1);
        int start = from - Math.min(DICTIONARY, from) / STRIDE * STRIDE;
        for (int p = start; p + STRIDE + 8 <= end; p += STRIDE) {
            int slice = (p - from) / SLICE;
            if (p >= from && (p - from) % (SLICE / GROUPS) == 0 && random[slice]) {
                for (int pp = p; pp < p + STRIDE; pp++) { // the sources kept so far all lie before pp
                    long v = (long) EIGHT.get(b, pp);
                    int q = last[hash(v)];
                    if (q >= 0 && pp - q <= DICTIONARY && v == (long) EIGHT.get(b, q)) {
                        hits[slice]++;
                    }
                }
            }
            last[hash((long) EIGHT.get(b, p))] = p;
        }
        boolean cleared = false;
        for (int i = 0; i < random.length; i++) {
            if (random[i] && hits[i] >= 2) {
                random[i] = false;
                cleared = true;
            }
        }
        return cleared;
    }

    private static int hash(long eightBytes) {
        return (int) ((eightBytes * 0x9E3779B97F4A7C15L) >>> (64 - HASH_BITS));
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

    /** The end of the run of slices of one kind that starts at slice {@code i}. */
    static int runEnd(boolean[] stored, int i) {
        int j = i + 1;
        while (j < stored.length && stored[j] == stored[i]) {
            j++;
        }
        return j;
    }
}
