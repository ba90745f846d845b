package io.ocimount.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Digest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The one size and digest check of blobs streamed into the store and of manifests and configs read whole. */
class BlobVerifierTest {
    private static final byte[] BYTES = "a blob of 19 bytes.".getBytes(StandardCharsets.UTF_8);
    private static final Digest DIGEST = Digest.of(BYTES);
    private static final Digest OTHER = Digest.of(new byte[] {1});

    /** Asserts that {@code check} throws DATA_LOSS; returns the exception for its message. */
    static OciMountException refused(Executable check) {
        OciMountException e = assertThrows(OciMountException.class, check);
        assertEquals(ErrorKind.DATA_LOSS, e.kind(), e.getMessage());
        return e;
    }

    @Test
    void bytesFedAsTheyComeAreCheckedAtTheEnd() {
        BlobVerifier v = new BlobVerifier("blob " + DIGEST, DIGEST, BYTES.length);
        v.update(BYTES, 0, 5);
        v.update(BYTES, 5, BYTES.length - 5);
        assertEquals(BYTES.length, v.size());
        assertEquals(DIGEST, v.verify());
        assertEquals(DIGEST, v.verify(), "asking again gives the same answer");
    }

    @Test
    void wholeBytesAreCheckedAtOnce() {
        assertEquals(DIGEST, BlobVerifier.check("fetch config", DIGEST, BYTES.length, BYTES));
    }

    @Test
    void shortBytesAreASizeMismatchNamingBothSizes() {
        assertEquals("fetch config " + DIGEST + " of img: size mismatch: expected 19 bytes, got 18",
                refused(() -> BlobVerifier.check("fetch config " + DIGEST + " of img", DIGEST, 19,
                        java.util.Arrays.copyOf(BYTES, 18))).getMessage());
    }

    @Test
    void bytesBeyondTheSizeAreRefusedBeforeTheyAreCounted() {
        BlobVerifier v = new BlobVerifier("blob " + DIGEST, DIGEST, BYTES.length);
        v.update(BYTES, 0, 10);
        assertEquals("blob " + DIGEST + ": size mismatch: expected 19 bytes, got more",
                refused(() -> v.admit(10)).getMessage());
        refused(() -> v.update(BYTES, 0, 10));
        assertEquals(10, v.size());
        refused(() -> BlobVerifier.check("fetch manifest", DIGEST, 19, new byte[20]));
    }

    @Test
    void wrongBytesOfTheRightSizeAreADigestMismatchNamingBoth() {
        assertEquals("fetch manifest: digest mismatch: expected " + OTHER + ", got " + DIGEST,
                refused(() -> BlobVerifier.check("fetch manifest", OTHER, BYTES.length, BYTES)).getMessage());
    }

    @Test
    void unknownExpectationsAreNotChecked() throws Exception {
        assertEquals(DIGEST, BlobVerifier.check("fetch manifest by tag", null, -1, BYTES));
        assertEquals(DIGEST, BlobVerifier.check("fetch manifest by digest", DIGEST, -1, BYTES));
        BlobVerifier measured = BlobVerifier.measuring();
        assertEquals(BYTES.length, measured.update(new ByteArrayInputStream(BYTES)));
        assertEquals(DIGEST, measured.verify());
        assertEquals(BYTES.length, measured.size());
    }
}
