package io.ocimount.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.mount.JnrMounter;
import io.ocimount.mount.MountInfo;
import io.ocimount.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a volume lands, with real mounts: through a symlinked parent root made, unmounted by its id after its
 * parent was moved and linked elsewhere, never onto a foreign mount. The refusals that come before any mount run
 * without root in {@link TargetRefusalsTest}.
 */
@Tag("native")
class MountTargetTest {
    @TempDir
    Path tmp;
    VolumeFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new VolumeFixture(tmp, "top", new JnrMounter());
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private VolumeRecord mount(String id, String target) {
        return fixture.mountOn(id, target);
    }

    private OciMountException refused(String target) {
        return fixture.refusedTarget(target);
    }

    private long mountsUnder(Path dir) {
        return MountInfo.read().stream().filter(e -> e.mountPoint().startsWith(dir.toString())).count();
    }

    @Test
    void aSymlinkedParentIsResolvedOnceAndWhatIsCreatedBelowItIsRemovedOnUnmount() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("kubelet-real"));
        Files.createSymbolicLink(tmp.resolve("kubelet"), real); // a node's kubelet directory may be a symlink
        VolumeRecord r = mount("v", tmp.resolve("kubelet/pods/p1/volumes/v").toString());
        assertEquals(real.resolve("pods/p1/volumes/v").toString(), r.mountPoint());
        assertEquals("top", Files.readString(real.resolve("pods/p1/volumes/v/data/top.txt")));
        assertEquals(List.of(real.resolve("pods").toString(), real.resolve("pods/p1").toString(),
                real.resolve("pods/p1/volumes").toString(), real.resolve("pods/p1/volumes/v").toString()), r.created());
        fixture.volumes.unmount("v");
        assertFalse(Files.exists(real.resolve("pods")), "every directory ocimount created is gone again");
        assertTrue(Files.isDirectory(real));
    }

    @Test
    void unmountFindsItsOwnMountAfterTheParentWasRenamedAndLinkedElsewhere() throws Exception {
        Path pods = Files.createDirectories(tmp.resolve("pods"));
        VolumeRecord r = mount("v", pods.resolve("p1/v").toString());
        Path other = Files.createDirectories(tmp.resolve("other/v"));
        Commands.mountTmpfs(other);
        Files.writeString(other.resolve("precious"), "keep");
        Files.move(pods.resolve("p1"), pods.resolve("p1-moved"));
        Files.createSymbolicLink(pods.resolve("p1"), tmp.resolve("other")); // the recorded path now leads elsewhere

        fixture.volumes.unmount("v");
        List<String> left = MountInfo.read().stream().map(MountInfo.Entry::mountPoint).toList();
        assertFalse(left.contains(pods.resolve("p1-moved/v").toString()), "our mount went, wherever it had moved");
        assertTrue(left.contains(other.toString()), "the mount the recorded path now leads to was left alone");
        assertEquals("keep", Files.readString(other.resolve("precious")));
        assertTrue(Files.isDirectory(other), "nothing removed through the link");
        assertEquals(List.of(), fixture.volumes.list());
        assertEquals(List.of(pods.resolve("p1").toString(), pods.resolve("p1/v").toString()), r.created());
        Commands.unmount(other);
    }

    @Test
    void aTargetInUseUnderAnotherSpellingOrWithAForeignMountIsRefused() throws Exception {
        mount("first", tmp.resolve("t/a").toString());
        OciMountException e = assertThrows(OciMountException.class, () -> mount("second", tmp + "/t//./a"));
        assertEquals(ErrorKind.ALREADY_EXISTS, e.kind(), e::getMessage);
        assertTrue(e.getMessage().contains("already holds volume \"first\""), e::getMessage);

        Path foreign = Files.createDirectories(tmp.resolve("t/foreign"));
        Commands.mountTmpfs(foreign);
        assertTrue(refused(foreign.toString()).getMessage().contains("already has something mounted on it"));
        Commands.unmount(foreign);
    }

    @Test
    void reconcileGoesOnWhenWhatItWouldRemoveIsNoLongerADirectory() throws Exception {
        Path gone = tmp.resolve("gone");
        Files.writeString(gone, "a file where ocimount had made a directory");
        VolumeStore store = new VolumeStore(tmp.resolve("run"));
        store.put(new VolumeRecord("crashed", gone.resolve("v").toString(), gone.resolve("v").toString(), fixture.ref, Digest.ofString("x"),
                Digest.ofString("y"), "", List.of(), "nokey", List.of(gone.toString(), gone.resolve("v").toString()), "", "", "",
                VolumeRecord.State.PENDING, 0, null, ""));
        VolumeService again = fixture.restarted();
        again.reconcile();
        assertEquals(List.of(), again.list(), "the record of the volume that never came to be is dropped");
        assertEquals("a file where ocimount had made a directory", Files.readString(gone), "and the file left alone");
    }
}
