package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.api.v1.ListVolumesRequest;
import io.ocimount.api.v1.MountVolumeRequest;
import io.ocimount.api.v1.UnmountVolumeRequest;
import io.ocimount.api.v1.Volume;
import io.ocimount.api.v1.VolumeServiceGrpc;
import io.ocimount.mount.MountInfo;
import io.ocimount.testkit.ImageBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.Mount;
import runtime.v1.PullImageRequest;

/**
 * kill -9 of the daemon in the middle of a stream of mounts, at random points: after the restart every
 * directory the daemon created belongs to a volume it lists, and unmounting those leaves nothing behind.
 */
@Tag("native")
class InterruptedMountsE2ETest {
    private static final int ROUNDS = 5;

    @TempDir
    Path tmp;

    @Test
    void killNineDuringMountsLeavesNoDirectoryThatNoVolumeOwns() throws Exception {
        Files.createDirectories(tmp.resolve("reg"));
        try (RealRegistry registry = new RealRegistry(tmp.resolve("reg"), null, null)) {
            registry.push("kill/app", "1", new ImageBuilder().layer(Map.of("etc/app.conf", "x")).build());
            String ref = registry.host() + "/kill/app:1";
            Random random = new Random(42);
            DaemonProcess daemon = DaemonProcess.start(tmp);
            ImageServiceGrpc.newBlockingStub(daemon.channel()).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build());
            for (int round = 0; round < ROUNDS; round++) {
                Path dir = tmp.resolve("targets/r" + round);
                DaemonProcess running = daemon;
                Thread stream = new Thread(() -> {
                    for (int i = 0; ; i++) {
                        try {
                            VolumeServiceGrpc.newBlockingStub(running.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
                                    .mountVolume(MountVolumeRequest.newBuilder().setVolumeId("r-" + dir.getFileName() + "-" + i)
                                            .setTargetPath(dir.resolve("pod" + i + "/volumes/v").toString())
                                            .setMount(Mount.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).setReadonly(true))
                                            .build());
                        } catch (RuntimeException killed) {
                            return;
                        }
                    }
                });
                stream.start();
                Thread.sleep(50 + random.nextInt(400));
                daemon.kill();
                stream.join(20_000);
                daemon = DaemonProcess.start(tmp);
                assertEveryDirectoryBelongsToAVolume(daemon, dir);
            }
            var volumes = VolumeServiceGrpc.newBlockingStub(daemon.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
            for (Volume v : volumes.listVolumes(ListVolumesRequest.getDefaultInstance()).getVolumesList()) {
                volumes.unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId(v.getVolumeId()).build());
            }
            try (Stream<Path> left = Files.list(tmp.resolve("targets/r0").getParent())) {
                for (Path round : left.toList()) {
                    try (Stream<Path> inside = Files.list(round)) {
                        assertEquals(List.of(), inside.toList(), "unmounting every volume left nothing in " + round);
                    }
                }
            }
            daemon.close();
        }
    }

    private static void assertEveryDirectoryBelongsToAVolume(DaemonProcess daemon, Path dir) throws Exception {
        List<Volume> listed = VolumeServiceGrpc.newBlockingStub(daemon.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                .listVolumes(ListVolumesRequest.getDefaultInstance()).getVolumesList().stream()
                .filter(v -> v.getTargetPath().startsWith(dir + "/")).toList();
        List<MountInfo.Entry> table = MountInfo.read();
        for (Volume v : listed) {
            assertTrue(MountInfo.at(table, Path.of(v.getTargetPath())) != null, "listed volume is mounted: " + v.getTargetPath());
        }
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir, 3)) { // pod*/volumes/v: not into the mounted images
            for (Path p : walk.toList()) {
                boolean owned = p.equals(dir) || listed.stream().anyMatch(v -> Path.of(v.getTargetPath()).startsWith(p));
                assertTrue(owned, p + " was created but no volume owns it; listed: "
                        + listed.stream().map(Volume::getTargetPath).toList() + "\n" + daemon.log());
            }
        }
    }
}
