package io.ocimount.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** blobs/sha256/<hex>, as the content store and an OCI layout written by `ocimount pack` both hold it. */
class BlobDirectoryTest {
    @TempDir
    Path root;

    private Set<String> names() throws IOException {
        try (var s = Files.list(root.resolve("blobs/sha256"))) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void aStreamedBlobIsNamedByItsDigestReadableByAllAndLeavesNoTempFile() throws IOException {
        BlobDirectory blobs = new BlobDirectory(root);
        byte[] bytes = "streamed".getBytes(StandardCharsets.UTF_8);
        BlobDirectory.Stored stored = blobs.write(out -> {
            out.write(bytes, 0, 3);
            out.write(bytes[3]);
            out.write(bytes, 4, bytes.length - 4);
        });
        assertEquals(new BlobDirectory.Stored(Digest.of(bytes), bytes.length), stored);
        assertEquals(root.resolve("blobs/sha256/" + stored.digest().hex()), blobs.path(stored.digest()));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(blobs.path(stored.digest()))));
        assertEquals(Set.of(stored.digest().hex()), names());
        assertEquals(Set.of(stored.digest()), blobs.list());
    }

    @Test
    void aFailedWriteLeavesNothingBehind() throws IOException {
        BlobDirectory blobs = new BlobDirectory(root);
        assertThrows(IOException.class, () -> blobs.write(out -> {
            out.write(1);
            throw new IOException("source vanished");
        }));
        assertEquals(Set.of(), names());
    }

    @Test
    void bytesAlreadyHeldAreNotWrittenAgainAndOtherNamesAreNoBlobs() throws IOException {
        BlobDirectory blobs = new BlobDirectory(root);
        Digest d = blobs.write("{}".getBytes(StandardCharsets.UTF_8));
        long written = Files.getLastModifiedTime(blobs.path(d)).toMillis();
        Files.setLastModifiedTime(blobs.path(d), java.nio.file.attribute.FileTime.fromMillis(written - 60_000));
        assertEquals(d, blobs.write("{}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(written - 60_000, Files.getLastModifiedTime(blobs.path(d)).toMillis(), "not rewritten");
        Files.writeString(root.resolve("blobs/sha256/.tmp-123"), "left by a crash");
        assertTrue(blobs.has(d));
        assertEquals(Set.of(d), blobs.list());
    }
}
