package io.ocimount.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.image.ImageService;
import io.ocimount.mount.JnrMounter;
import io.ocimount.mount.MountInfo;
import io.ocimount.registry.Credentials;
import io.ocimount.testkit.FakeRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a volume may land: through a symlinked parent only to a place the rules allow, never in or over the
 * daemon's own directories or a pseudo file system, nothing created through a link, and a swap between the
 * checks and the mount changes nothing.
 */
@Tag("native")
class MountTargetTest {
    @TempDir
    Path tmp;
    VolumeFixture fixture;
    FakeRegistry registry;
    ImageService images;
    VolumeService volumes;
    String ref;

    @BeforeEach
    void start() throws Exception {
        fixture = new VolumeFixture(tmp, "top", new JnrMounter());
        registry = fixture.registry;
        images = fixture.images;
        volumes = fixture.volumes;
        ref = fixture.ref;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private VolumeRecord mount(String id, String target) {
        return volumes.mount(new MountRequest(id, target, ref, "", true, "", null, "ns", "pod", "uid"), Credentials.NONE,
                Cancellation.none());
    }

    private OciMountException refused(String target) {
        OciMountException e = assertThrows(OciMountException.class, () -> mount("bad", target));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), e::getMessage);
        assertTrue(e.getMessage().contains(target.length() > 200 ? target.substring(0, 100) : target), e::getMessage);
        assertTrue(volumes.list().stream().noneMatch(v -> v.id().equals("bad")), "no volume recorded");
        return e;
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
        volumes.unmount("v");
        assertFalse(Files.exists(real.resolve("pods")), "every directory ocimount created is gone again");
        assertTrue(Files.isDirectory(real));
    }

    @Test
    void targetsInOrOverTheDaemonsOwnDirectoriesAreRefused() throws Exception {
        Files.createSymbolicLink(tmp.resolve("to-store"), tmp.resolve("root/content"));
        String through = tmp.resolve("to-store/blobs/x").toString();
        assertTrue(refused(through).getMessage().contains("is inside the daemon's own directory " + tmp.resolve("root")));
        assertFalse(Files.exists(tmp.resolve("root/content/blobs/x")), "nothing created in the store");
        refused(tmp.resolve("root").toString());
        refused(tmp.resolve("run/views/x").toString());
        assertTrue(refused(tmp.toString()).getMessage().contains("is over the daemon's own directory"));
        assertEquals(0, mountsUnder(tmp.resolve("root")) + mountsUnder(tmp.resolve("run/views/x")));
    }

    @Test
    void targetsInPseudoFileSystemsAreRefused() throws Exception {
        assertTrue(refused("/proc/sys/kernel/ocimount-test").getMessage().contains("is in a proc file system"));
        refused("/proc/self");
        refused("/sys/fs/ocimount-test");
        refused("/dev/ocimount-test");
        Files.createSymbolicLink(tmp.resolve("to-proc"), Path.of("/proc/sys"));
        refused(tmp.resolve("to-proc/vm/x").toString());
        assertFalse(Files.exists(Path.of("/dev/ocimount-test")));
    }

    @Test
    void anExistingTargetThatIsASymlinkIsRefused() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createDirectories(tmp.resolve("t"));
        Files.createSymbolicLink(tmp.resolve("t/v"), outside);
        assertTrue(refused(tmp.resolve("t/v").toString()).getMessage().contains("is a symlink, which is never followed"));
        assertEquals(0, mountsUnder(outside));
    }

    @Test
    void aLinkSwappedInAfterTheChecksIsNotFollowed() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Targets targets = new Targets(new TargetRules(List.of(tmp.resolve("root"), tmp.resolve("run"))));
        Files.createDirectories(tmp.resolve("pods"));

        // a missing component replaced by a link between the plan and the creation
        try (Targets.Plan plan = targets.plan(tmp.resolve("pods/p1/v").toString(), true)) {
            Files.createSymbolicLink(tmp.resolve("pods/p1"), outside);
            OciMountException e = assertThrows(OciMountException.class, plan::open);
            assertTrue(e.getMessage().contains("create target"), e::getMessage);
        }
        assertFalse(Files.exists(outside.resolve("v")), "nothing created through the link");

        // an existing target replaced by a link after it was checked
        Path v2 = Files.createDirectories(tmp.resolve("pods/v2"));
        try (Targets.Plan plan = targets.plan(v2.toString(), true)) {
            Files.delete(v2);
            Files.createSymbolicLink(v2, outside);
            OciMountException e = assertThrows(OciMountException.class, plan::open);
            assertTrue(e.getMessage().contains("is a symlink"), e::getMessage);
        }

        // the parent directory moved away after the plan: the mount follows the opened directory, not the path
        Path moving = Files.createDirectories(tmp.resolve("moving"));
        try (Targets.Plan plan = targets.plan(moving.resolve("v").toString(), true)) {
            Files.move(moving, tmp.resolve("moved"));
            Files.createSymbolicLink(moving, outside);
            plan.open();
            assertTrue(Files.isDirectory(tmp.resolve("moved/v")), "created in the directory that was checked");
            assertFalse(Files.exists(outside.resolve("v")));
        }
    }
    @Test
    void aSymlinkOwnedBySomeoneElseIsNotFollowed() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("host-etc"));
        Path pod = Files.createDirectories(tmp.resolve("pods/p1"));
        Path link = Files.createSymbolicLink(pod.resolve("volumes"), outside); // made by a hostile user...
        io.ocimount.sys.Syscalls.lchown(link, 1000, 1000);                        // ...so owned by them
        assertTrue(refused(pod.resolve("volumes/cron.d").toString()).getMessage()
                .contains("goes through the symlink " + link + ", owned by uid 1000"));
        assertEquals(0, mountsUnder(outside));
        assertFalse(Files.exists(outside.resolve("cron.d")));
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

        volumes.unmount("v");
        List<String> left = MountInfo.read().stream().map(MountInfo.Entry::mountPoint).toList();
        assertFalse(left.contains(pods.resolve("p1-moved/v").toString()), "our mount went, wherever it had moved");
        assertTrue(left.contains(other.toString()), "the mount the recorded path now leads to was left alone");
        assertEquals("keep", Files.readString(other.resolve("precious")));
        assertTrue(Files.isDirectory(other), "nothing removed through the link");
        assertEquals(List.of(), volumes.list());
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
    void aCgroupTreeOnTmpfsInsideSysIsStillRefused() {
        refused("/sys/fs/cgroup/ocimount-test");
    }

    @Test
    void reconcileGoesOnWhenWhatItWouldRemoveIsNoLongerADirectory() throws Exception {
        Path gone = tmp.resolve("gone");
        Files.writeString(gone, "a file where ocimount had made a directory");
        VolumeStore store = new VolumeStore(tmp.resolve("run"));
        store.put(new VolumeRecord("crashed", gone.resolve("v").toString(), gone.resolve("v").toString(), ref, "sha256:x",
                "sha256:y", "", List.of(), "nokey", List.of(gone.toString(), gone.resolve("v").toString()), "", "", "",
                VolumeRecord.PENDING, 0, null));
        VolumeService again = fixture.restarted();
        again.reconcile();
        assertEquals(List.of(), again.list(), "the record of the volume that never came to be is dropped");
        assertEquals("a file where ocimount had made a directory", Files.readString(gone), "and the file left alone");
    }
}
