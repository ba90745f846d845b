package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ocimount.api.v1.ListVolumesRequest;
import io.ocimount.api.v1.MountVolumeRequest;
import io.ocimount.api.v1.MountVolumeResponse;
import io.ocimount.api.v1.Volume;
import io.ocimount.api.v1.VolumeServiceGrpc;
import io.ocimount.mount.MountInfo;
import io.ocimount.testkit.ImageBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.ImageSpec;
import runtime.v1.Mount;
import runtime.v1.PullImageRequest;

/**
 * MountVolume calls whose deadline (2–20 ms) passes while they run. The documented choice: a mount that goes on
 * past its caller's deadline finishes and keeps its volume, and kubelet's retry with the same volume id succeeds
 * at once with that volume. So after the retries every call has exactly one volume, each listed volume is
 * mounted, and no mount exists that no volume names.
 */
@Tag("native")
class MountDeadlineE2ETest {
    private static final int CALLS = 60;

    @TempDir
    Path tmp;

    @Test
    void aMountPastItsDeadlineKeepsItsVolumeAndTheRetryWithTheSameIdSucceeds() throws Exception {
        Files.createDirectories(tmp.resolve("reg"));
        try (RealRegistry registry = new RealRegistry(tmp.resolve("reg"), null, null)) {
            ImageBuilder.Image image = new ImageBuilder().layer(Map.of("etc/app.conf", "x")).build();
            registry.push("deadline/app", "1", image);
            String ref = registry.host() + "/deadline/app:1";
            try (InProcessDaemon daemon = new InProcessDaemon(tmp.resolve("root"), tmp.resolve("run"))) {
                ManagedChannel channel = daemon.channel();
                daemon.images().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build());
                List<Integer> failed = new ArrayList<>();
                for (int i = 0; i < CALLS; i++) {
                    try {
                        mount(channel, ref, i, 2 + i % 19);
                    } catch (StatusRuntimeException e) {
                        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode(), e.toString());
                        failed.add(i);
                    }
                }
                assertTrue(!failed.isEmpty(), "some deadlines passed during their mounts");
                for (int i : failed) { // what kubelet does after DEADLINE_EXCEEDED
                    MountVolumeResponse r = mount(channel, ref, i, 30_000);
                    assertEquals(image.config().digest().toString(), r.getImageRef());
                }
                List<Volume> listed = daemon.volumes().listVolumes(ListVolumesRequest.getDefaultInstance()).getVolumesList();
                assertEquals(CALLS, listed.size(), "one volume per call, none twice");
                List<MountInfo.Entry> table = MountInfo.read();
                for (Volume v : listed) {
                    assertTrue(MountInfo.at(table, Path.of(v.getTargetPath())) != null, v.getTargetPath() + " is mounted");
                    assertEquals("x", Files.readString(Path.of(v.getTargetPath(), "etc/app.conf")));
                }
                long mounts = table.stream().filter(e -> e.mountPoint().startsWith(tmp.resolve("targets") + "/")).count();
                assertEquals(CALLS, mounts, "no mount that no volume names");
            }
        }
    }

    private MountVolumeResponse mount(ManagedChannel channel, String ref, int i, long deadlineMillis) {
        return VolumeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                .mountVolume(MountVolumeRequest.newBuilder().setVolumeId("d-" + i)
                        .setTargetPath(tmp.resolve("targets/pod" + i + "/v").toString())
                        .setMount(Mount.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).setReadonly(true)).build());
    }
}
