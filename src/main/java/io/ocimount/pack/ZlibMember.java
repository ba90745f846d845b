package io.ocimount.pack;

import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * One gzip member made with the JDK's zlib, as pigz makes it: each block deflated on its own, primed with the 32 KiB
 * before it and ended on a byte boundary, so the pieces simply join. Runs of random-looking slices
 * ({@link SliceKinds}) are stored blocks instead.
 */
final class ZlibMember implements GzipBlocks {
    private static final byte[] LAST = {3, 0}; // an empty final block (fixed Huffman codes), as zlib writes it

    @Override
    public byte[] start() {
        return GzipFraming.header();
    }

    /**
     * Consecutive slices with the same choice are one run: a run of random-looking slices is stored, any other run
     * deflated, or stored too when deflate would not make it smaller. Every run but the stream's last ends on a
     * byte boundary (a sync flush). A block without stored runs is deflated exactly as before slices existed.
     */
    @Override
    public byte[] encode(byte[] b, int from, int len, boolean last) {
        int end = from + len;
        boolean[] stored = SliceKinds.storedSlices(b, from, len);
        int slices = stored.length;
        byte[] out = new byte[len + 5 * (slices + len / StoredBlocks.MAX + 1) + LAST.length]; // no run beyond stored size
        int pos = 0;
        boolean ended = false;
        Deflater d = new Deflater(LEVEL, true);
        try {
            for (int i = 0, j; i < slices; i = j) {
                j = SliceKinds.runEnd(stored, i);
                int start = from + i * SliceKinds.SLICE;
                int stop = Math.min(end, from + j * SliceKinds.SLICE);
                boolean finish = last && stop == end;
                int limit = StoredBlocks.size(stop - start) + (finish ? LAST.length : 0);
                int deflated = stored[i] ? -1 : deflate(d, b, start, stop, finish, out, pos, limit);
                ended = deflated >= 0 && finish;
                pos = deflated >= 0 ? pos + deflated : StoredBlocks.write(b, start, stop, false, out, pos);
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

    /** Deflates {@code b[start, stop)} into {@code out} at {@code pos}; its length, or -1 if it needs limit or more. */
    private static int deflate(Deflater d, byte[] b, int start, int stop, boolean finish, byte[] out, int pos,
            int limit) {
        d.reset();
        int dict = Math.min(SliceKinds.DICTIONARY, start);
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

    @Override
    public byte[] end(long crc, long length) {
        byte[] trailer = new byte[GzipFraming.TRAILER_SIZE];
        GzipFraming.trailer(crc, length, trailer, 0);
        return trailer;
    }

    @Override
    public boolean endsWithCrc() {
        return true;
    }
}
