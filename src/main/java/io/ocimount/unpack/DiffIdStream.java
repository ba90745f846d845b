package io.ocimount.unpack;

import io.ocimount.oci.Digest;
import io.ocimount.streams.BlockInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** The decompressed layer: hashed (the diff_id) and counted as it is read, and cut off at the size limit. */
final class DiffIdStream extends BlockInputStream {
    private final InputStream in;
    private final MessageDigest sha = Digest.newSha256();
    private final long limit;
    private long count;

    DiffIdStream(InputStream decompressed, long limit) {
        this.in = decompressed;
        this.limit = limit;
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

    long count() {
        return count;
    }

    Digest digest() {
        return Digest.fromRaw(sha.digest());
    }
}
