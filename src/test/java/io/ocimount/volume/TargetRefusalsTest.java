package io.ocimount.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targets refused before anything is mounted, without root (a {@link FakeMounter}, real directories, links,
 * statfs and openat): in or over the daemon's own directories, in a pseudo file system, an existing symlink, a
 * link someone other than root made, and a link swapped in between the checks and the creation.
 * {@code MountTargetTest} keeps, as root, what needs real mounts.
 */
class TargetRefusalsTest {
    @TempDir
    Path tmp;
    VolumeFixture fixture;
    FakeMounter mounter;

    @BeforeEach
    void start() throws Exception {
        mounter = new FakeMounter();
        fixture = new VolumeFixture(tmp, "top", mounter);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private OciMountException refused(String target) {
        return fixture.refusedTarget(target);
    }

    @Test
    void targetsInOrOverTheDaemonsOwnDirectoriesAreRefused() throws Exception {
        String inside = "is inside the daemon's own directory " + tmp.resolve("root");
        assertTrue(refused(tmp.resolve("root/content/blobs/x").toString()).getMessage().contains(inside));
        Files.createSymbolicLink(tmp.resolve("to-store"), tmp.resolve("root/content"));
        String through = refused(tmp.resolve("to-store/blobs/x").toString()).getMessage();
        // root's link is followed and judged by where it leads; a user's link is not followed at all
        assertTrue(through.contains(Syscalls.isRoot() ? inside : "goes through the symlink"), through);
        assertFalse(Files.exists(tmp.resolve("root/content/blobs/x")), "nothing created in the store");
        refused(tmp.resolve("root").toString());
        refused(tmp.resolve("run/views/x").toString());
        assertTrue(refused(tmp.toString()).getMessage().contains("is over the daemon's own directory"));
        assertEquals(List.of(), mounter.binds(), "nothing bound");
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
        assertEquals(List.of(), mounter.binds(), "nothing bound");
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
        if (Syscalls.isRoot()) {
            Syscalls.lchown(link, 1000, 1000);                                   // ...so owned by them
        }
        int owner = (Integer) Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        assertTrue(refused(pod.resolve("volumes/cron.d").toString()).getMessage()
                .contains("goes through the symlink " + link + ", owned by uid " + owner));
        assertEquals(List.of(), mounter.binds(), "nothing bound");
        assertFalse(Files.exists(outside.resolve("cron.d")));
    }

    @Test
    void aCgroupTreeOnTmpfsInsideSysIsStillRefused() {
        refused("/sys/fs/cgroup/ocimount-test");
    }
}
