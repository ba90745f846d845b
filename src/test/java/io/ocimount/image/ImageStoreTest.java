package io.ocimount.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ocimount.oci.Digest;
import io.ocimount.testkit.ReleasedRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image records on disk: one written by the release before the generic record store must still load, unchanged. */
class ImageStoreTest {
    private static final Digest ID = Digest.parse("sha256:1b5c1a6e4c0c3e8b2d4a9a0c6f0e2b7d3c5a9e1f0b2c4d6e8f0a1b3c5d7e9f01");
    /** As that release wrote it: pretty-printed, named by the id with ':' as '-'. */
    private static final String FILE = "images/sha256-1b5c1a6e4c0c3e8b2d4a9a0c6f0e2b7d3c5a9e1f0b2c4d6e8f0a1b3c5d7e9f01.json";
    @TempDir
    Path root;

    @Test
    void aRecordWrittenByTheLastReleaseLoads() throws IOException {
        ReleasedRecords.install(FILE, root.resolve("meta/images"));
        ImageRecord r = new ImageStore(root).get(ID).orElseThrow();
        assertEquals(Digest.parse("sha256:aa00000000000000000000000000000000000000000000000000000000000001"), r.target());
        assertEquals(Digest.parse("sha256:bb00000000000000000000000000000000000000000000000000000000000002"), r.manifest());
        assertEquals(ID, r.config());
        assertEquals("application/vnd.oci.image.index.v1+json", r.mediaType());
        assertFalse(r.isArtifact());
        assertEquals("linux/amd64", r.platform());
        assertEquals(2_233_445, r.size());
        assertEquals("1002", r.user());
        assertEquals(List.of("registry.example:5000/team/app:v1"), r.repoTags());
        assertEquals(List.of("registry.example:5000/team/app@sha256:aa00000000000000000000000000000000000000000000000000000000000001"),
                r.repoDigests());
        assertEquals(4, r.blobs().size());
        assertEquals(List.of(Digest.parse("sha256:cc00000000000000000000000000000000000000000000000000000000000003")), r.layers());
        assertEquals(List.of(Digest.parse("sha256:dd00000000000000000000000000000000000000000000000000000000000004")), r.diffIds());
        assertEquals(1_767_225_600_000L, r.createdAtMillis());
    }

    @Test
    void storingItAgainWritesTheSameFile() throws IOException {
        Path file = ReleasedRecords.install(FILE, root.resolve("meta/images"));
        ImageStore store = new ImageStore(root);
        Files.delete(file);
        store.add(store.get(ID).orElseThrow());
        assertArrayEquals(ReleasedRecords.bytes(FILE), Files.readAllBytes(file), Files.readString(file));
    }
}
