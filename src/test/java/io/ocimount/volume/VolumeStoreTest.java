package io.ocimount.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.ocimount.mount.MountId;
import io.ocimount.oci.Digest;
import io.ocimount.testkit.ReleasedRecords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volume records on disk: one written by the release before the generic record store must still load, unchanged. */
class VolumeStoreTest {
    private static final String ID = "pod-7f3a/etc volume";
    /** As that release wrote it: compact JSON, named by the sha256 of the volume id. */
    private static final String FILE = "volumes/7522d42ec45fafe7d31a4a8e7d7951db36c0e4f6b364acc7cc91e15056b6519a.json";
    @TempDir
    Path stateDir;

    @Test
    void aRecordWrittenByTheLastReleaseLoads() throws IOException {
        ReleasedRecords.install(FILE, stateDir.resolve("volumes"));
        VolumeRecord r = new VolumeStore(stateDir).get(ID);
        assertEquals("/var/lib/kubelet/pods/7f3a/volumes/img/etc", r.target());
        assertEquals("/var/lib/kubelet/pods/7f3a/volumes/img/etc", r.mountPoint());
        assertEquals("registry.example:5000/team/app:v1", r.image());
        assertEquals(Digest.parse("sha256:1b5c1a6e4c0c3e8b2d4a9a0c6f0e2b7d3c5a9e1f0b2c4d6e8f0a1b3c5d7e9f01"), r.imageId());
        assertEquals(Digest.parse("sha256:bb00000000000000000000000000000000000000000000000000000000000002"), r.manifest());
        assertEquals("etc", r.subPath());
        assertEquals(List.of(Digest.parse("sha256:dd00000000000000000000000000000000000000000000000000000000000004")), r.chainIds());
        assertEquals("sha256:bb00000000000000000000000000000000000000000000000000000000000002", r.view());
        assertEquals(List.of("/var/lib/kubelet/pods/7f3a/volumes/img", "/var/lib/kubelet/pods/7f3a/volumes/img/etc"),
                r.created());
        assertEquals(List.of("default", "app-0", "7f3a"), List.of(r.podNamespace(), r.podName(), r.podUid()));
        assertEquals(VolumeRecord.State.MOUNTED, r.state());
        assertEquals(1_767_225_600_000L, r.createdAtMillis());
        assertEquals(new MountId(812, "0:61"), r.mount());
    }

    @Test
    void storingItAgainWritesTheSameFile() throws IOException {
        Path file = ReleasedRecords.install(FILE, stateDir.resolve("volumes"));
        VolumeStore store = new VolumeStore(stateDir);
        Files.delete(file);
        store.put(store.get(ID));
        assertArrayEquals(ReleasedRecords.bytes(FILE), Files.readAllBytes(file), Files.readString(file));
    }

    @Test
    void aRecordWhoseDigestIsMalformedIsSkippedAndTheOthersLoad() throws IOException {
        Path file = ReleasedRecords.install(FILE, stateDir.resolve("volumes"));
        String text = Files.readString(file);
        String bad = text.replace("\"imageId\":\"sha256:1b5c", "\"imageId\":\"sha256:XYZ");
        assertNotEquals(text, bad, "the test edits the image id");
        Files.writeString(stateDir.resolve("volumes/other.json"), bad.replace(ID, "other volume"));
        VolumeStore store = new VolumeStore(stateDir);
        assertEquals(List.of(ID), store.list().stream().map(VolumeRecord::id).toList(), "digests are checked as records load");
    }
}
