package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ocimount.api.v1.ListVolumesRequest;
import io.ocimount.api.v1.MountVolumeRequest;
import io.ocimount.api.v1.MountVolumeResponse;
import io.ocimount.api.v1.PullPolicy;
import io.ocimount.api.v1.UnmountVolumeRequest;
import io.ocimount.mount.MountInfo;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.ImageStatusRequest;
import runtime.v1.Mount;
import runtime.v1.RemoveImageRequest;

/** ocimount.v1.VolumeService through the daemon's socket, against the real registry; kill -9 and restart. */
@Tag("native")
class VolumeE2ETest {
    @TempDir
    static Path tmp;
    static RealRegistry registry;
    static ImageBuilder.Image image = new ImageBuilder()
            .layer(new TarBuilder().dir("etc", 0755).file("etc/app.conf", "threads=4\n").dir("share", 0755)
                    .file("share/readme", "hello").build())
            .layer(new TarBuilder().file("share/extra", "more").build()).build();
    static String ref;

    @BeforeAll
    static void start() throws Exception {
        registry = new RealRegistry(Files.createDirectories(tmp.resolve("reg")), null, null);
        registry.push("vol/app", "1.0", image);
        ref = registry.host() + "/vol/app:1.0";
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static MountVolumeRequest request(String id, Path target, String subPath) {
        return MountVolumeRequest.newBuilder().setVolumeId(id).setTargetPath(target.toString())
                .setMount(Mount.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).setImageSubPath(subPath).setReadonly(true))
                .setPodNamespace("default").setPodName("web").setPodUid("1234").build();
    }

    @Test
    void mountThroughTheSocketIsVisibleToOtherProcessesAndErrorsCarryTheReason() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d1"));
        try (DaemonProcess daemon = DaemonProcess.start(dir)) {
            var volumes = daemon.volumes();
            Path target = dir.resolve("targets/share");
            MountVolumeResponse r = volumes.mountVolume(request("v-share", target, "share"));
            assertEquals(image.config().digest().toString(), r.getImageRef());
            assertEquals(image.manifest().digest().toString(), r.getManifestDigest());
            assertEquals("more", Files.readString(target.resolve("extra")), "this JVM is another process on the host");
            assertEquals(1, volumes.listVolumes(ListVolumesRequest.getDefaultInstance()).getVolumesCount());
            assertEquals("web", volumes.listVolumes(ListVolumesRequest.getDefaultInstance()).getVolumes(0).getPodName());

            StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
                    () -> volumes.mountVolume(request("v-bad", dir.resolve("targets/bad"), "nope")));
            assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
            assertEquals("ImageVolumeMountFailed: sub path \"nope\" does not exist in image \"" + ref + "\" (volume v-bad)",
                    missing.getStatus().getDescription());

            StatusRuntimeException never = assertThrows(StatusRuntimeException.class, () -> volumes.mountVolume(
                    request("v-never", dir.resolve("targets/never"), "").toBuilder().setMount(Mount.newBuilder()
                            .setImage(ImageSpec.newBuilder().setImage(registry.host() + "/vol/absent:1")).setReadonly(true))
                            .setPullPolicy(PullPolicy.NEVER).build()));
            assertTrue(never.getStatus().getDescription().startsWith("ErrImageNeverPull"), never.getStatus().getDescription());

            var cri = ImageServiceGrpc.newBlockingStub(daemon.channel());
            cri.removeImage(RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build());
            assertFalse(cri.imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build()).hasImage());
            assertEquals("hello", Files.readString(target.resolve("readme")), "still readable after RemoveImage");

            volumes.unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId(target.toString()).build());
            assertTrue(MountInfo.at(MountInfo.read(), target) == null);
            assertFalse(Files.exists(target));
        }
    }

    @Test
    void killNineAndRestartKeepsTheVolumesAndReconciles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d2"));
        Path keep = dir.resolve("targets/keep");
        Path lost = dir.resolve("targets/lost");
        DaemonProcess first = DaemonProcess.start(dir);
        var volumes = first.volumes();
        volumes.mountVolume(request("keep", keep, "etc"));
        volumes.mountVolume(request("lost", lost, "share"));
        first.kill();
        assertEquals("threads=4\n", Files.readString(keep.resolve("app.conf")), "the mount outlives the daemon");
        VolumeServiceTestSupport.umount(lost); // taken down while the daemon was away

        try (DaemonProcess second = DaemonProcess.start(dir)) {
            var again = second.volumes();
            var list = again.listVolumes(ListVolumesRequest.getDefaultInstance());
            assertEquals(1, list.getVolumesCount(), second.log());
            assertEquals("keep", list.getVolumes(0).getVolumeId());
            again.unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId("keep").build());
            assertTrue(MountInfo.read().stream().noneMatch(e -> e.mountPoint().startsWith(dir.toString())), "nothing left mounted");
        }
    }
}
