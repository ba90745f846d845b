package io.ocimount.pack;

/** A gzip member's header and trailer (RFC 1952), as every pack writes them: no name, mtime 0, OS unknown. */
final class GzipFraming {
    static final int HEADER_SIZE = 10;
    static final int TRAILER_SIZE = 8;

    private GzipFraming() {
    }

    static byte[] header() {
        return new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    }

    /** CRC-32 and length mod 2^32, little-endian, at {@code pos}; the new position. */
    static int trailer(long crc, long length, byte[] out, int pos) {
        for (int i = 0; i < 4; i++) {
            out[pos + i] = (byte) (crc >>> (8 * i));
            out[pos + 4 + i] = (byte) (length >>> (8 * i));
        }
        return pos + TRAILER_SIZE;
    }
}
