package io.ocimount.unpack;

import io.ocimount.oci.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** The decompressed layer: hashed (the diff_id) and counted as it is read, and cut off at the size limit. */
final class DiffIdStream extends FilterInputStream {
    private final MessageDigest sha = Digest.newSha256();
    private final long limit;
    private long count;

    DiffIdStream(InputStream decompressed, long limit) {
        super(decompressed);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n > 0) {
            count += n;
            if (count > limit) {
                throw new LayerRefusedException("uncompressed size exceeds the limit of " + limit + " bytes", true);
            }
            sha.update(buf, off, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 1 << 16)];
        int got = read(buf, 0, buf.length);
        return Math.max(got, 0);
    }

    /** Reads what is left (tar padding, trailing blocks) so that the diff_id covers the whole stream. */
    void drain() throws IOException {
        byte[] buf = new byte[1 << 16];
        while (read(buf, 0, buf.length) >= 0) {
            // counted and hashed by read
        }
    }

    long count() {
        return count;
    }

    Digest digest() {
        return Digest.fromRaw(sha.digest());
    }
}
