package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ocimount.api.v1.MountVolumeRequest;
import io.ocimount.api.v1.PullPolicy;
import io.ocimount.api.v1.UnmountVolumeRequest;
import io.ocimount.api.v1.VolumeServiceGrpc;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.Mount;
import runtime.v1.PullImageRequest;
import runtime.v1.RemoveImageRequest;

/**
 * RemoveImage in a loop while other callers pull the image and mount and unmount volumes of it: every call
 * succeeds or fails with a clear, expected code. The fault campaign saw 26 INTERNAL errors in 16,487 calls
 * ("mount view …: No such file or directory", "commit blob …: a -> b"); none is allowed here.
 */
@Tag("native")
class RemoveRaceE2ETest {
    private static final long RUN_MILLIS = 12_000;

    @TempDir
    Path tmp;

    @Test
    void removalRacingPullsAndMountsNeverGivesAnInternalError() throws Exception {
        Files.createDirectories(tmp.resolve("reg"));
        try (RealRegistry registry = new RealRegistry(tmp.resolve("reg"), null, null)) {
            ImageBuilder.Image image = new ImageBuilder()
                    .layer(new TarBuilder().dir("etc", 0755).file("etc/app.conf", "threads=4\n").build())
                    .layer(new TarBuilder().file("etc/extra", "more").build()).build();
            registry.push("race/app", "1.0", image);
            String ref = registry.host() + "/race/app:1.0";
            try (InProcessDaemon daemon = new InProcessDaemon(tmp.resolve("root"), tmp.resolve("run"))) {
                ManagedChannel channel = daemon.channel();
                Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
                ConcurrentLinkedQueue<String> bad = new ConcurrentLinkedQueue<>();
                long end = System.currentTimeMillis() + RUN_MILLIS;
                List<Thread> threads = new ArrayList<>();
                threads.add(loop("remove", end, outcomes, bad, () -> ImageServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(30, TimeUnit.SECONDS).removeImage(RemoveImageRequest.newBuilder()
                                .setImage(ImageSpec.newBuilder().setImage(ref)).build())));
                threads.add(loop("pull", end, outcomes, bad, () -> ImageServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(30, TimeUnit.SECONDS).pullImage(PullImageRequest.newBuilder()
                                .setImage(ImageSpec.newBuilder().setImage(ref)).build())));
                for (int i = 0; i < 3; i++) {
                    String id = "race-" + i;
                    Path target = tmp.resolve("targets/" + id);
                    threads.add(loop("mount", end, outcomes, bad, () -> {
                        var volumes = VolumeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
                        volumes.mountVolume(MountVolumeRequest.newBuilder().setVolumeId(id).setTargetPath(target.toString())
                                .setPullPolicy(PullPolicy.IF_NOT_PRESENT)
                                .setMount(Mount.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).setReadonly(true))
                                .build());
                        assertEquals("threads=4\n", Files.readString(target.resolve("etc/app.conf")));
                        volumes.unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId(id).build());
                    }));
                }
                threads.forEach(Thread::start);
                for (Thread t : threads) {
                    t.join();
                }
                int calls = outcomes.values().stream().mapToInt(AtomicInteger::get).sum();
                System.out.println("remove race outcomes: " + outcomes);
                assertTrue(calls > 300, "enough calls to race: " + outcomes);
                assertEquals(List.of(), List.copyOf(bad), "unexpected outcomes among " + calls + " calls: " + outcomes);
            }
        }
    }

    interface Call {
        void run() throws Exception;
    }

    /** Runs {@code call} until {@code end}; counts outcomes by code and keeps every INTERNAL or UNKNOWN one. */
    private static Thread loop(String name, long end, Map<String, AtomicInteger> outcomes, ConcurrentLinkedQueue<String> bad,
                               Call call) {
        return new Thread(() -> {
            while (System.currentTimeMillis() < end) {
                String outcome;
                try {
                    call.run();
                    outcome = "OK";
                } catch (StatusRuntimeException e) {
                    Status.Code code = e.getStatus().getCode();
                    outcome = code.name();
                    if (code == Status.Code.INTERNAL || code == Status.Code.UNKNOWN || code == Status.Code.DEADLINE_EXCEEDED) {
                        bad.add(name + ": " + e.getStatus());
                    }
                } catch (Throwable t) {
                    outcome = "ASSERTION";
                    bad.add(name + ": " + t);
                }
                outcomes.computeIfAbsent(name + " " + outcome, k -> new AtomicInteger()).incrementAndGet();
            }
        }, "race-" + name);
    }
}
