package io.ocimount.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an ingest keeps for a resume after a failed check, and what it throws away. */
class FileIngestTest {
    private static final byte[] BYTES = "twenty bytes of blob".getBytes(StandardCharsets.UTF_8);
    private static final Descriptor DESC = new Descriptor("application/octet-stream", Digest.of(BYTES), BYTES.length);
    @TempDir
    Path root;

    @Test
    void aShortBlobIsKeptAndTheNextIngestResumesWhereItEnded() {
        LocalContentStore store = new LocalContentStore(root);
        try (Ingest first = store.ingest(DESC)) {
            first.write(BYTES, 0, 8);
            assertEquals("blob " + DESC.digest() + ": size mismatch: expected 20 bytes, got 8",
                    BlobVerifierTest.refused(first::commit).getMessage());
        }
        assertEquals(8, store.partials().get(0).bytes(), "kept for a resume");
        try (Ingest again = store.ingest(DESC)) {
            assertEquals(8, again.offset());
            again.write(BYTES, 8, BYTES.length - 8);
            again.commit();
        }
        assertTrue(store.has(DESC.digest()));
        assertEquals(0, store.partials().size());
    }

    @Test
    void moreBytesThanTheDescriptorSaysAreRefusedAndThePartialDropped() {
        LocalContentStore store = new LocalContentStore(root);
        try (Ingest ingest = store.ingest(DESC)) {
            ingest.write(BYTES, 0, BYTES.length);
            assertEquals("blob " + DESC.digest() + ": size mismatch: expected 20 bytes, got more",
                    BlobVerifierTest.refused(() -> ingest.write(BYTES, 0, 1)).getMessage());
        }
        assertEquals(0, store.partials().size());
    }

    @Test
    void wholeBytesWithTheWrongDigestAreDroppedAndNeverStored() {
        LocalContentStore store = new LocalContentStore(root);
        byte[] wrong = BYTES.clone();
        wrong[3] ^= 1;
        try (Ingest ingest = store.ingest(DESC)) {
            ingest.write(wrong, 0, wrong.length);
            assertEquals("blob " + DESC.digest() + ": digest mismatch: expected " + DESC.digest() + ", got "
                    + Digest.of(wrong), BlobVerifierTest.refused(ingest::commit).getMessage());
        }
        assertEquals(0, store.partials().size());
        assertFalse(store.has(DESC.digest()));
        BlobVerifierTest.refused(() -> store.put(DESC, wrong));
        assertFalse(store.has(DESC.digest()));
    }
}
