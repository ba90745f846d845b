package io.ocimount.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.image.ImageRecord;
import io.ocimount.oci.Digest;
import io.ocimount.registry.Credentials;
import io.ocimount.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VolumeService's decisions without root, over a {@link FakeMounter}: pull policies, repeats and conflicts,
 * records, the undoing of a failed mount, shared views, and what reconcile keeps, drops and restores. Targets,
 * records and sub paths are real (openat2 inside a view that is a plain directory). What only the root tests
 * ({@code VolumeServiceTest}, {@code MountTargetTest}) prove: that the binds and overlays exist in the mount table,
 * read-only, nosuid and nodev, that writes fail, and that a mount moved or covered by another is found by its id.
 */
class VolumeServiceLogicTest {
    @TempDir
    Path tmp;
    VolumeFixture fixture;
    FakeMounter mounter;
    VolumeService volumes;

    @BeforeEach
    void start() throws Exception {
        mounter = new FakeMounter();
        fixture = new VolumeFixture(tmp, "top v1", mounter);
        volumes = fixture.volumes;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private MountRequest request(String id, String target, String subPath, PullPolicy policy) {
        return new MountRequest(id, target, fixture.ref, subPath, true, "", policy, "ns", "pod", "uid-1");
    }

    private String target(String id) {
        return tmp.resolve("targets/" + id).toString();
    }

    private VolumeRecord mount(String id, String subPath) {
        return mount(request(id, target(id), subPath, null));
    }

    private VolumeRecord mount(MountRequest req) {
        return volumes.mount(req, "CLI", Credentials.NONE, Cancellation.none());
    }

    private OciMountException refused(MountRequest req) {
        OciMountException e = assertThrows(OciMountException.class, () -> mount(req));
        assertEquals("ImageVolumeMountFailed", e.reason(), e::getMessage);
        assertTrue(e.getMessage().endsWith("in image \"" + fixture.ref + "\" (volume " + req.volumeId() + ")"), e::getMessage);
        return e;
    }

    private Path views() {
        return tmp.resolve("run/views");
    }

    /** What {@code dir} holds; nothing when it is gone. */
    private static List<String> namesIn(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theRecordIsWrittenPendingBeforeTheBindNamingWhatWasCreatedAndMountedAfter() throws Exception {
        Files.createDirectories(tmp.resolve("targets"));
        String target = tmp.resolve("targets/pod/v").toString();
        AtomicReference<VolumeRecord> atBind = new AtomicReference<>();
        mounter.beforeNextBind(() -> atBind.set(new VolumeStore(tmp.resolve("run")).get("v")));
        VolumeRecord r = mount(request("v", target, "data", null));

        ImageRecord image = fixture.images.status(fixture.ref).orElseThrow();
        String mountPoint = tmp.toRealPath().resolve("targets/pod/v").toString();
        List<String> created = List.of(tmp.toRealPath().resolve("targets/pod").toString(), mountPoint);
        assertEquals(VolumeRecord.State.PENDING, atBind.get().state(), "on disk before the bind");
        assertEquals(created, atBind.get().created(), "naming what is about to be created, outermost first");
        assertEquals(VolumeRecord.State.MOUNTED, r.state());
        assertEquals(created, r.created());
        assertEquals(mountPoint, r.mountPoint());
        assertEquals(image.id(), r.imageId());
        assertEquals(image.manifest(), r.manifest());
        assertEquals(image.chainIds(), r.chainIds());
        assertEquals(image.id().hex(), r.view());
        assertEquals(List.of("ns", "pod", "uid-1"), List.of(r.podNamespace(), r.podName(), r.podUid()));
        assertEquals(mounter.binds().get(0).id(), r.mount(), "the bind as the mounter knows it");
        assertEquals(views().resolve(r.view()).resolve("data"), mounter.sourceAt(mountPoint), "the sub path inside the view");
        assertEquals("top v1", Files.readString(mounter.sourceAt(mountPoint).resolve("top.txt")), "of the merged layers");
        assertEquals(List.of(r), fixture.restarted().list(), "the record survives a restart");
    }

    @Test
    void aFileSubPathGetsAFileTargetWhichUnmountRemoves() throws Exception {
        VolumeRecord r = mount("f", "data/top.txt");
        assertTrue(Files.isRegularFile(Path.of(r.mountPoint())), "a file to bind onto");
        assertTrue(mounter.sourceAt(r.mountPoint()).endsWith("data/top.txt"));
        volumes.unmount("f");
        assertFalse(Files.exists(Path.of(r.mountPoint())));
        assertEquals(List.of(), mounter.binds());
    }

    @Test
    void theSameRequestAgainChangesNothingAndClashingOnesAreRefused() throws Exception {
        VolumeRecord first = mount("same", "data");
        assertEquals(first, mount("same", "data"));
        assertEquals(1, mounter.binds().size(), "no second bind");

        OciMountException idInUse = refused(request("same", target("same"), "bin", null));
        assertEquals(ErrorKind.ALREADY_EXISTS, idInUse.kind());
        assertTrue(idInUse.getMessage().contains("volume id in use for"), idInUse::getMessage);

        for (String other : List.of(target("same"), tmp + "/targets//./same")) {
            OciMountException taken = refused(request("other", other, "", null));
            assertEquals(ErrorKind.ALREADY_EXISTS, taken.kind(), other);
            assertTrue(taken.getMessage().contains("already holds volume \"same\""), taken::getMessage);
        }
        Path link = Files.createSymbolicLink(tmp.resolve("link-to-targets"), tmp.resolve("targets"));
        OciMountException through = refused(request("other", link.resolve("same").toString(), "", null));
        if (Syscalls.isRoot()) {
            assertTrue(through.getMessage().contains("already holds volume \"same\""), "root's link is followed to it");
        } else {
            assertTrue(through.getMessage().contains("goes through the symlink"), "a user's link is never followed");
        }
        assertEquals(1, mounter.binds().size());
        assertEquals(List.of("same"), volumes.list().stream().map(VolumeRecord::id).toList());
    }

    @Test
    void volumesOfOneImageShareOneViewWhichGoesWithTheLastUnmount() throws Exception {
        mount("one", "data");
        mount("two", "bin");
        VolumeRecord three = mount("three", "");
        assertEquals(1, mounter.viewsMounted.get());
        assertEquals(3, mounter.binds().size());
        volumes.unmount("one");
        volumes.unmount(three.target()); // by target path, as the CLI allows
        assertEquals(1, mounter.views(), "still used by two");
        volumes.unmount("two");
        assertEquals(0, mounter.views());
        assertEquals(List.of(), namesIn(views()), "no view directory left");
        assertEquals(List.of(), namesIn(tmp.resolve("targets")), "every directory created for a target removed");
        volumes.unmount("one"); // unknown now: a success
        assertEquals(List.of(), volumes.list());
    }

    @Test
    void aFailedBindUndoesTheRecordTheTargetAndTheView() throws Exception {
        mounter.beforeNextBind(() -> {
            throw new OciMountException(ErrorKind.INTERNAL, "bind onto the target: Operation not permitted");
        });
        OciMountException e = refused(request("v", target("v"), "data", null));
        assertEquals(ErrorKind.INTERNAL, e.kind());
        assertTrue(e.getMessage().startsWith("bind onto the target: Operation not permitted"), e::getMessage);
        assertEquals(List.of(), volumes.list());
        assertEquals(List.of(), fixture.restarted().list(), "no record on disk");
        assertFalse(Files.exists(tmp.resolve("targets")), "nothing left of what was created for the target");
        assertEquals(0, mounter.views(), "the view no volume uses is taken down");
        assertEquals(List.of(), namesIn(views()));
    }

    @Test
    void subPathsThatLeaveTheViewOrAreMissingAreRefusedBeforeAnyTargetExists() throws Exception {
        for (String sub : List.of("../..", "/etc", "etc-link", "etc-link/passwd", "a", "a/etc/shadow")) {
            assertEquals(ErrorKind.INVALID_ARGUMENT, refused(request("bad", target("bad"), sub, null)).kind(), sub);
        }
        assertEquals(ErrorKind.NOT_FOUND, refused(request("bad", target("bad"), "missing/dir", null)).kind());
        assertFalse(Files.exists(tmp.resolve("targets")));
        assertEquals(List.of(), mounter.binds());
        assertEquals(0, mounter.views());
    }

    @Test
    void pullPoliciesNeverIfNotPresentAndAlwaysWithAMovedTag() throws Exception {
        OciMountException never = assertThrows(OciMountException.class,
                () -> mount(request("never", target("never"), "", PullPolicy.NEVER)));
        assertEquals(ErrorKind.FAILED_PRECONDITION, never.kind());
        assertEquals("ErrImageNeverPull", never.reason());
        assertEquals(List.of(), fixture.registry.requests, "Never asks no registry");

        VolumeRecord local = mount(request("first", target("first"), "data", null)); // :v1 defaults to IfNotPresent
        int before = fixture.registry.requests.size();
        mount(request("ifnp", target("ifnp"), "data", PullPolicy.IF_NOT_PRESENT));
        assertEquals(before, fixture.registry.requests.size(), "IfNotPresent uses the image it has");

        fixture.registry.addImage("vol/img", "v1", VolumeFixture.sample("top v2"));
        VolumeRecord always = mount(request("always", target("always"), "data", PullPolicy.ALWAYS));
        assertNotEquals(local.imageId(), always.imageId(), "Always resolved the moved tag");
        assertEquals("top v2", Files.readString(mounter.sourceAt(always.mountPoint()).resolve("top.txt")));
        assertEquals("top v1", Files.readString(mounter.sourceAt(local.mountPoint()).resolve("top.txt")),
                "the older volumes keep their image");
        assertEquals(2, mounter.views(), "one view per image");
    }

    @Test
    void kubeletsDefaultPolicyIsAlwaysForLatestElseIfNotPresent() {
        String digest = "@sha256:" + "a".repeat(64);
        assertEquals(PullPolicy.ALWAYS, PullPolicy.defaultFor("busybox"));
        assertEquals(PullPolicy.ALWAYS, PullPolicy.defaultFor("busybox:latest"));
        assertEquals(PullPolicy.ALWAYS, PullPolicy.defaultFor("localhost:5000/app"), "a port is not a tag");
        assertEquals(PullPolicy.IF_NOT_PRESENT, PullPolicy.defaultFor("busybox:1.36"));
        assertEquals(PullPolicy.IF_NOT_PRESENT, PullPolicy.defaultFor("busybox" + digest));
        assertEquals(PullPolicy.IF_NOT_PRESENT, PullPolicy.defaultFor("localhost:5000/app" + digest), "a port is not a tag");
        assertEquals(PullPolicy.ALWAYS, PullPolicy.defaultFor("busybox:latest" + digest), "the tag decides, not the digest");
        assertEquals(PullPolicy.ALWAYS, PullPolicy.defaultFor("registry.example:5000/team/app:latest" + digest));
        assertEquals(PullPolicy.IF_NOT_PRESENT, PullPolicy.defaultFor("busybox:1.36" + digest));
    }

    @Test
    void removingAMountedImageTakesItsNamesNowAndItsLayersAfterTheLastUnmount() throws Exception {
        mount("keep", "data");
        fixture.images.remove(fixture.ref);
        assertTrue(fixture.images.status(fixture.ref).isEmpty(), "names go at once");
        assertEquals(2, committedSnapshots(), "the layers stay pinned by the volume");
        volumes.unmount("keep");
        assertEquals(0, committedSnapshots(), "collected after the last unmount");
    }

    private long committedSnapshots() throws Exception {
        return namesIn(tmp.resolve("root/snapshots")).stream().filter(n -> Digest.isDigest("sha256:" + n)).count();
    }

    /** Stands for a kill -9 between the record and the bind: no undo runs. */
    private static final class Killed extends Error {
        private static final long serialVersionUID = 1L;
    }

    @Test
    void reconcileDropsWhatIsNotMountedRemovesWhatItCreatedRestoresViewsAndLeavesTheRest() throws Exception {
        VolumeRecord keep = mount("keep", "data");
        VolumeRecord gone = mount("gone", "bin");
        mounter.beforeNextBind(() -> {
            throw new Killed();
        });
        assertThrows(Killed.class, () -> mount("crashed", ""));
        Path foreign = Files.createDirectories(tmp.resolve("targets/foreign"));
        Path staleView = Files.createDirectories(views().resolve("0".repeat(64)));
        mounter.detachBehindTheBack(gone.mountPoint());
        mounter.dropViewBehindTheBack(views().resolve(keep.view()));
        int viewsBefore = mounter.viewsMounted.get();

        VolumeService restarted = fixture.restarted();
        restarted.reconcile();
        assertEquals(List.of("keep"), restarted.list().stream().map(VolumeRecord::id).toList());
        assertFalse(Files.exists(Path.of(gone.mountPoint())), "what was created for a dropped volume is removed");
        assertFalse(Files.exists(Path.of(target("crashed"))), "and for one that never got its bind");
        assertEquals(viewsBefore + 1, mounter.viewsMounted.get(), "the view of the kept volume is mounted again");
        assertTrue(mounter.isMounted(keep.mount(), Path.of(keep.mountPoint())));
        assertFalse(Files.exists(staleView), "a view no record uses is taken down");
        assertTrue(Files.isDirectory(foreign), "a directory that is not ours is left alone");
        assertNull(mounter.sourceAt(gone.mountPoint()));
    }

    @Test
    void aHundredConcurrentMountUnmountPairsLeaveNoBindViewRecordOrDirectory() throws Exception {
        fixture.mountAndUnmountConcurrently(100, this::mount);
        assertEquals(List.of(), volumes.list());
        assertEquals(List.of(), mounter.binds());
        assertEquals(0, mounter.views());
        assertEquals(List.of(), namesIn(tmp.resolve("targets")));
    }
}
