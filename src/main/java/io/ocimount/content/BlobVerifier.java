package io.ocimount.content;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Checks a blob's bytes against the size and digest they should have, fed as they arrive or as one array. A
 * mismatch is DATA_LOSS, worded "{@code <what>: size mismatch: expected N bytes, got M}" or "{@code <what>: digest
 * mismatch: expected X, got Y}". An expectation left unknown (a null digest, a size of -1: a manifest fetched by
 * tag, a blob being packed) is not checked, so the same class measures a blob whose digest is still to be learnt.
 */
public final class BlobVerifier {
    private static final long UNKNOWN = -1;
    private final String what;
    private final Digest expectedDigest;
    private final long expectedSize;
    private final MessageDigest sha = Digest.newSha256();
    private long size;
    private Digest actual;

    /**
     * @param what           names the blob in errors: "blob sha256:…", "fetch config sha256:… of ref"
     * @param expectedDigest null when unknown
     * @param expectedSize   -1 when unknown
     */
    public BlobVerifier(String what, Digest expectedDigest, long expectedSize) {
        this.what = what;
        this.expectedDigest = expectedDigest;
        this.expectedSize = expectedSize;
    }

    public BlobVerifier(String what, Descriptor expected) {
        this(what, expected.digest(), expected.size());
    }

    /** Expects nothing: counts and hashes a blob whose digest is learnt at the end. */
    public static BlobVerifier measuring() {
        return new BlobVerifier("blob", null, UNKNOWN);
    }

    /** Checks whole bytes at once; returns their digest. */
    public static Digest check(String what, Digest expectedDigest, long expectedSize, byte[] bytes) {
        BlobVerifier v = new BlobVerifier(what, expectedDigest, expectedSize);
        v.update(bytes, 0, bytes.length);
        return v.verify();
    }

    /**
     * Refuses {@code more} bytes when they would pass the expected size, before the caller stores them. The excess
     * is not read, so its amount is not known: the error says "got more".
     */
    public void admit(long more) {
        if (expectedSize != UNKNOWN && size + more > expectedSize) {
            throw sizeMismatch("more");
        }
    }

    public void update(byte[] buf, int off, int len) {
        if (actual != null) {
            throw new IllegalStateException(what + ": fed after it was verified");
        }
        admit(len);
        sha.update(buf, off, len);
        size += len;
    }

    /** Feeds everything {@code in} holds; returns how many bytes that was. */
    public long update(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; total += n) {
            update(buf, 0, n);
        }
        return total;
    }

    /** Bytes fed so far. */
    public long size() {
        return size;
    }

    /** Checks the size, then the digest, of all that was fed; returns the digest. */
    public Digest verify() {
        if (expectedSize != UNKNOWN && size != expectedSize) {
            throw sizeMismatch(String.valueOf(size));
        }
        if (actual == null) {
            actual = Digest.fromRaw(sha.digest()); // digest() resets the hash: take it once
        }
        if (expectedDigest != null && !expectedDigest.equals(actual)) {
            throw OciMountException.dataLoss(what + ": digest mismatch: expected " + expectedDigest + ", got " + actual);
        }
        return actual;
    }

    private OciMountException sizeMismatch(String got) {
        return OciMountException.dataLoss(what + ": size mismatch: expected " + expectedSize + " bytes, got " + got);
    }
}
