package io.ocimount.pack;

/** Deflate's stored blocks (RFC 1951 3.2.4), written from a byte boundary: a header byte, LEN, NLEN, the bytes. */
final class StoredBlocks {
    static final int MAX = 65535; // the most one stored block holds

    private StoredBlocks() {
    }

    /** Bytes that {@code n} bytes take as stored blocks. */
    static int size(int n) {
        return n + 5 * Math.max(1, (n + MAX - 1) / MAX);
    }

    /** Writes {@code b[start, stop)} at {@code pos}, the last block marked final if {@code last}; the new position. */
    static int write(byte[] b, int start, int stop, boolean last, byte[] out, int pos) {
        do {
            int n = Math.min(MAX, stop - start);
            out[pos] = (byte) (last && start + n == stop ? 1 : 0); // BFINAL, then BTYPE 00
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
}
