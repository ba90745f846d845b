package io.ocimount.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.oci.MediaTypes;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ContentStore} must do, after containerd's core/content/testsuite: nothing is readable before
 * its size and digest were checked, a commit makes a blob visible at once and whole, an interrupted write resumes
 * where it stopped, and delete, list and the partial downloads say what is there. An implementation's test
 * extends this and says how to open a store over a directory.
 */
public abstract class ContentStoreContract {
    @TempDir
    protected Path root;
    protected ContentStore store;

    /** A store keeping its state under {@code root}; called again on the same root to stand for a restart. */
    protected abstract ContentStore open(Path root);

    @BeforeEach
    void openStore() {
        store = open(root);
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected static Descriptor descriptorOf(byte[] blob) {
        return new Descriptor(MediaTypes.OCI_LAYER_TAR, Digest.of(blob), blob.length);
    }

    private byte[] read(Digest d) throws Exception {
        try (InputStream in = store.open(d)) {
            return in.readAllBytes();
        }
    }

    private void assertAbsent(Digest d) {
        assertFalse(store.has(d), "has " + d);
        assertFalse(store.list().contains(d), "listed " + d);
        assertEquals(ErrorKind.NOT_FOUND, assertThrows(OciMountException.class, () -> store.open(d)).kind());
    }

    private static void assertDataLoss(Digest d, Runnable write) {
        OciMountException e = assertThrows(OciMountException.class, write::run);
        assertEquals(ErrorKind.DATA_LOSS, e.kind(), e::getMessage);
        assertTrue(e.getMessage().contains(d.toString()), "names the blob: " + e.getMessage());
    }

    @Test
    void aCommittedIngestIsReadableWholeAndNothingIsVisibleBefore() throws Exception {
        byte[] blob = bytes("layer bytes ".repeat(1000));
        Descriptor desc = descriptorOf(blob);
        try (Ingest w = store.ingest(desc)) {
            w.write(blob, 0, 5000);
            assertAbsent(desc.digest());
            w.write(blob, 5000, blob.length - 5000);
            assertAbsent(desc.digest());
            w.commit();
        }
        assertTrue(store.has(desc.digest()));
        assertArrayEquals(blob, read(desc.digest()));
        assertArrayEquals(blob, Files.readAllBytes(store.file(desc.digest())), "the file an artifact volume links");
        assertEquals(Set.of(desc.digest()), store.list());
    }

    @Test
    void putChecksTheBlobAndLeavesAPresentOneAlone() throws Exception {
        byte[] blob = bytes("config");
        store.put(descriptorOf(blob), blob);
        store.put(descriptorOf(blob), blob);
        assertArrayEquals(blob, read(Digest.of(blob)));
        Descriptor claimed = descriptorOf(bytes("other"));
        assertDataLoss(claimed.digest(), () -> store.put(claimed, bytes("wrong")));
        assertAbsent(claimed.digest());
    }

    @Test
    void moreBytesThanTheDescriptorSaysAreRefusedAtTheWrite() {
        byte[] blob = bytes("exactly this");
        Descriptor desc = descriptorOf(blob);
        try (Ingest w = store.ingest(desc)) {
            byte[] longer = bytes("exactly this and more");
            assertDataLoss(desc.digest(), () -> w.write(longer, 0, longer.length));
        }
        assertAbsent(desc.digest());
    }

    /** Writes {@code written} for {@code desc}, expects the commit refused, and says where a new ingest starts. */
    private long offsetAfterARefusedCommit(Descriptor desc, byte[] written) {
        try (Ingest w = store.ingest(desc)) {
            w.write(written, 0, written.length);
            assertDataLoss(desc.digest(), w::commit);
        }
        assertAbsent(desc.digest());
        try (Ingest again = store.ingest(desc)) {
            return again.offset();
        }
    }

    @Test
    void aShortBlobIsRefusedAtCommitAndKeptForAResume() {
        byte[] blob = bytes("the whole blob");
        assertEquals(4, offsetAfterARefusedCommit(descriptorOf(blob), Arrays.copyOf(blob, 4)), "the bytes that arrived are kept");
    }

    @Test
    void theRightSizeWithTheWrongDigestIsRefusedAndNotResumed() {
        Descriptor desc = descriptorOf(bytes("the true bytes"));
        assertEquals(0, offsetAfterARefusedCommit(desc, bytes("the fake bytes")), "bytes proven wrong are not resumed");
    }

    @Test
    void anInterruptedIngestResumesWhereItStoppedAcrossARestart() throws Exception {
        byte[] blob = bytes("0123456789".repeat(100));
        Descriptor desc = descriptorOf(blob);
        try (Ingest w = store.ingest(desc)) {
            w.write(blob, 0, 300);
        }
        store = open(root);
        List<Partial> partials = store.partials();
        assertEquals(1, partials.size(), partials::toString);
        assertEquals(desc.digest(), partials.get(0).digest());
        assertEquals(300, partials.get(0).bytes());
        try (Ingest w = store.ingest(desc)) {
            assertEquals(300, w.offset());
            try (InputStream back = w.readBack()) {
                assertArrayEquals(Arrays.copyOf(blob, 300), back.readAllBytes(), "what is held, for the unpack to replay");
            }
            w.write(blob, 300, blob.length - 300);
            w.commit();
        }
        assertArrayEquals(blob, read(desc.digest()));
        assertEquals(List.of(), store.partials(), "a committed ingest is no partial any more");
    }

    @Test
    void aResumedIngestWhoseKeptBytesAreWrongFailsAtCommit() {
        byte[] blob = bytes("abcdefghij");
        Descriptor desc = descriptorOf(blob);
        try (Ingest w = store.ingest(desc)) {
            w.write(bytes("XYZ"), 0, 3); // a previous attempt got bad bytes
        }
        try (Ingest w = store.ingest(desc)) {
            w.write(blob, 3, blob.length - 3);
            assertDataLoss(desc.digest(), w::commit);
        }
        assertAbsent(desc.digest());
    }

    @Test
    void deleteAndDeletePartialRemoveOnlyWhatTheyNameAndForgiveWhatIsGone() {
        byte[] a = bytes("a");
        byte[] b = bytes("b");
        store.put(descriptorOf(a), a);
        store.put(descriptorOf(b), b);
        store.delete(Digest.of(a));
        store.delete(Digest.of(a));
        assertAbsent(Digest.of(a));
        assertEquals(Set.of(Digest.of(b)), store.list());

        byte[] c = bytes("ccc");
        try (Ingest w = store.ingest(descriptorOf(c))) {
            w.write(c, 0, 1);
        }
        Partial p = store.partials().get(0);
        store.deletePartial(p);
        store.deletePartial(p);
        assertEquals(List.of(), store.partials());
        assertTrue(store.has(Digest.of(b)), "deleting a partial leaves blobs alone");
    }
}
