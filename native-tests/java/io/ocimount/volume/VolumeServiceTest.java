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
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image volumes with real mounts (run inside a private mount namespace: native-tests/run.sh does that). */
@Tag("native")
class VolumeServiceTest {
    @TempDir
    Path tmp;
    VolumeFixture fixture;
    FakeRegistry registry;
    ImageService images;
    VolumeService volumes;
    String ref;

    @BeforeEach
    void start() throws Exception {
        fixture = new VolumeFixture(tmp, "top v1", new JnrMounter());
        registry = fixture.registry;
        images = fixture.images;
        volumes = fixture.volumes;
        ref = fixture.ref;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private MountRequest req(String id, String subPath, PullPolicy policy) {
        return new MountRequest(id, tmp.resolve("targets").resolve(id).toString(), ref, subPath, true, "", policy, "ns", "pod", "uid-1");
    }

    private VolumeRecord mount(String id, String subPath) {
        return volumes.mount(req(id, subPath, null), "CLI", Credentials.NONE, Cancellation.none());
    }

    private static long mountsUnder(Path dir) {
        return MountInfo.read().stream().filter(e -> e.mountPoint().startsWith(dir.toString())).count();
    }

    @Test
    void wholeImageIsTheMergedLayersReadOnlyNosuidNodev() throws Exception {
        VolumeRecord r = mount("whole", "");
        Path t = Path.of(r.target());
        assertEquals("top v1", Files.readString(t.resolve("data/top.txt")));
        assertEquals("deep", Files.readString(t.resolve("data/nested/deep/file.txt")));
        FileSystemException e = assertThrows(FileSystemException.class, () -> Files.writeString(t.resolve("new"), "x"));
        assertTrue(String.valueOf(e.getReason()).contains("Read-only"), e.toString());
        MountInfo.Entry m = MountInfo.at(MountInfo.read(), t);
        assertTrue(m.options().contains("ro") && m.options().contains("nosuid") && m.options().contains("nodev"), m.options());
        assertEquals(ErrorKind.INVALID_ARGUMENT, assertThrows(OciMountException.class,
                () -> volumes.mount(new MountRequest("rw", t + "-rw", ref, "", false, "", null, "", "", ""), "CLI", Credentials.NONE,
                        Cancellation.none())).kind(), "readonly=false is refused");
    }

    @Test
    void aBinaryFromTheVolumeRuns() throws Exception {
        Path t = Path.of(mount("exec", "bin").target());
        Process p = new ProcessBuilder(t.resolve("hello").toString()).start();
        assertEquals("hello-from-volume", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        assertEquals(0, p.waitFor());
    }

    @Test
    void subPathDirectoryNestedAndFile() throws Exception {
        Path dir = Path.of(mount("dir", "data").target());
        assertEquals("{\"k\":1}", Files.readString(dir.resolve("config.json")));
        Path nested = Path.of(mount("nested", "data/nested/deep").target());
        assertEquals("deep", Files.readString(nested.resolve("file.txt")));
        Path file = Path.of(mount("file", "data/top.txt").target());
        assertTrue(Files.isRegularFile(file), "a file sub path binds onto a file target");
        assertEquals("top v1", Files.readString(file));
        FileSystemException e = assertThrows(FileSystemException.class, () -> Files.writeString(file, "x"));
        assertTrue(String.valueOf(e.getReason()).contains("Read-only"), e.toString());
    }

    @Test
    void escapesAreRefusedWithImageVolumeMountFailedNamingVolumeAndImage() {
        for (String bad : new String[] {"../..", "/etc", "etc-link", "etc-link/passwd", "a", "a/etc/shadow", "missing/dir"}) {
            OciMountException e = assertThrows(OciMountException.class, () -> mount("bad", bad), bad);
            assertEquals("ImageVolumeMountFailed", e.reason(), bad);
            assertTrue(e.getMessage().contains("sub path \"" + bad + "\"") && e.getMessage().contains("in image \"" + ref + "\"")
                    && e.getMessage().contains("(volume bad)"), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("targets/bad")), "no target left behind for " + bad);
        }
        assertEquals(List.of(), volumes.list());
        assertEquals(0, mountsUnder(tmp), "the view was taken down again");
    }

    @Test
    void volumesOfOneImageShareOneViewAndUnmountLeavesNothing() throws Exception {
        mount("one", "data");
        mount("two", "bin");
        mount("three", "");
        Path views = tmp.resolve("run/views");
        assertEquals(1, mountsUnder(views), "one view for the image");
        assertEquals(4, mountsUnder(tmp));
        for (String id : List.of("one", "two", "three")) {
            volumes.unmount(id);
        }
        assertEquals(0, mountsUnder(tmp), "nothing left in mountinfo");
        try (Stream<Path> s = Files.list(tmp.resolve("targets"))) {
            assertEquals(List.of(), s.toList(), "targets created by ocimount are removed");
        }
        try (Stream<Path> s = Files.list(views)) {
            assertEquals(List.of(), s.toList(), "no view directory left");
        }
        volumes.unmount("one"); // idempotent
    }

    @Test
    void sameRequestTwiceChangesNothingAndAConflictingOneIsRefused() {
        VolumeRecord first = mount("same", "data");
        VolumeRecord again = mount("same", "data");
        assertEquals(first, again);
        assertEquals(2, mountsUnder(tmp));
        OciMountException e = assertThrows(OciMountException.class, () -> mount("same", "bin"));
        assertEquals(ErrorKind.ALREADY_EXISTS, e.kind());
    }

    @Test
    void removeImageWhileMountedTakesTheNamesNowAndTheFilesAfterTheLastUnmount() throws Exception {
        Path t = Path.of(mount("keep", "data").target());
        images.remove(ref);
        assertTrue(images.status(ref).isEmpty(), "names go at once");
        assertEquals("top v1", Files.readString(t.resolve("top.txt")), "files stay readable");
        assertTrue(snapshots() > 0);
        volumes.unmount("keep");
        assertEquals(0, snapshots(), "collected after the last unmount");
    }

    private long snapshots() throws Exception {
        try (Stream<Path> s = Files.list(tmp.resolve("root/snapshots"))) {
            return s.filter(p -> !p.getFileName().toString().contains("-")).count();
        }
    }

    @Test
    void pullPolicies() throws Exception {
        OciMountException never = assertThrows(OciMountException.class,
                () -> volumes.mount(req("never", "", PullPolicy.NEVER), "CLI", Credentials.NONE, Cancellation.none()));
        assertTrue(GrpcMessage.of(never).startsWith("ErrImageNeverPull"), GrpcMessage.of(never));

        mount("first", "data");
        int before = registry.requests.size();
        VolumeRecord local = volumes.mount(req("ifnp", "data", PullPolicy.IF_NOT_PRESENT), "CLI", Credentials.NONE, Cancellation.none());
        assertEquals(before, registry.requests.size(), "IfNotPresent uses the local image");
        assertEquals(local.imageId(), volumes.list().get(0).imageId());

        registry.addImage("vol/img", "v1", VolumeFixture.sample("top v2")); // the tag moves
        VolumeRecord always = volumes.mount(req("always", "data", PullPolicy.ALWAYS), "CLI", Credentials.NONE, Cancellation.none());
        assertFalse(always.imageId().equals(local.imageId()), "Always resolved the moved tag and pulled");
        assertEquals("top v2", Files.readString(Path.of(always.target()).resolve("top.txt")));
        assertEquals("top v1", Files.readString(Path.of(local.target()).resolve("top.txt")), "the older volume keeps its image");
        assertEquals(3, mountsUnder(tmp.resolve("targets")));
        assertEquals(2, mountsUnder(tmp.resolve("run/views")), "one view per image");
    }

    @Test
    void aHundredConcurrentMountUnmountPairsLeaveNothingBehind() throws Exception {
        mount("warm", "");
        volumes.unmount("warm");
        fixture.mountAndUnmountConcurrently(100, this::mount);
        assertEquals(List.of(), volumes.list());
        assertEquals(0, mountsUnder(tmp), "no mount leaked");
        try (Stream<Path> s = Files.list(tmp.resolve("targets"))) {
            assertEquals(0, s.count(), "no target leaked");
        }
    }

    @Test
    void reconcileDropsRecordsWhoseTargetIsGoneRestoresViewsAndTouchesNothingElse() throws Exception {
        Path keep = Path.of(mount("keep", "data").target());
        Path gone = Path.of(mount("gone", "bin").target());
        Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        run("mount", "-t", "tmpfs", "tmpfs", foreign.toString());
        run("umount", gone.toString()); // someone else took this one down
        String view = volumes.list().get(0).view();
        run("umount", tmp.resolve("run/views").resolve(view).toString()); // and the view

        VolumeService restarted = fixture.restarted();
        restarted.reconcile();
        assertEquals(List.of("keep"), restarted.list().stream().map(VolumeRecord::id).toList());
        assertEquals("top v1", Files.readString(keep.resolve("top.txt")));
        assertTrue(MountInfo.at(MountInfo.read(), tmp.resolve("run/views").resolve(view)) != null, "view restored");
        assertTrue(MountInfo.at(MountInfo.read(), foreign) != null, "a mount that is not ours is left alone");
        run("umount", foreign.toString());
        volumes = restarted;
    }

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
    }

    /** The message a gRPC caller would see (reason prefix added by the adapter). */
    static final class GrpcMessage {
        static String of(OciMountException e) {
            return e.reason() == null || e.getMessage().startsWith(e.reason()) ? e.getMessage() : e.reason() + ": " + e.getMessage();
        }
    }
}
