package io.ocimount.streams;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stream whose work is done per block in {@link #read(byte[], int, int)}: hashing, counting, writing to an ingest,
 * retrying. The one-byte read goes through it, so no byte can pass around that work.
 */
public abstract class BlockInputStream extends InputStream {
    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] buf, int off, int len) throws IOException;

    /** Reads {@code in} to its end, for what its reads do on the way (write to an ingest, hash). */
    public static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 17];
        while (in.read(buf, 0, buf.length) >= 0) {
            // the stream's own read does the work
        }
    }
}
