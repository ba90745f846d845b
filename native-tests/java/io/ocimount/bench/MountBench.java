package io.ocimount.bench;

import io.ocimount.policy.audit.Requester;
import io.ocimount.wiring.Wiring;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.image.ImageService;
import io.ocimount.image.PullSettings;
import io.ocimount.metrics.Meters;
import io.ocimount.mount.JnrMounter;
import io.ocimount.oci.Platform;
import io.ocimount.registry.Credentials;
import io.ocimount.registry.RegistrySettings;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import io.ocimount.testkit.TestImages;
import io.ocimount.unpack.LayerLimits;
import io.ocimount.volume.MountRequest;
import io.ocimount.volume.PullPolicy;
import io.ocimount.volume.VolumeService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Benchmark (not a test): server-side latency of mounting a warm image volume with a sub path (the image is
 * pulled once; every mount after that is the view check, the openat2 resolution, the bind and its read-only
 * remount, and the record), and mount+unmount pairs per second with 16 concurrent callers. Run it as root in a
 * private mount namespace: scripts/bench-mount.sh.
 */
public final class MountBench {
    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("io.ocimount").setLevel(java.util.logging.Level.WARNING); // a line per mount would be measured too
        int mounts = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path work = Files.createTempDirectory(Path.of("/var/tmp"), "ocimount-mount-bench");
        Path state = Files.createTempDirectory(Path.of("/run"), "ocimount-mount-bench"); // tmpfs, as /run/ocimount is
        try (FakeRegistry registry = new FakeRegistry("127.0.0.1");
             ImageService images = TestImages.create(work.resolve("root"), Wiring.registry(RegistrySettings.defaults()),
                     new PullSettings(Platform.host(), 3, 128, LayerLimits.defaults()))) {
            TarBuilder base = new TarBuilder().dir("usr", 0755).dir("usr/share", 0755).dir("usr/share/data", 0755);
            for (int i = 0; i < 200; i++) {
                base.file("usr/share/data/f" + i, "file " + i);
            }
            ImageBuilder.Image img = new ImageBuilder().layer(base.build())
                    .layer(new TarBuilder().file("usr/share/data/top", "top").build()).build();
            registry.addImage("bench/img", "v1", img);
            String ref = registry.host() + "/bench/img:v1";
            VolumeService volumes = Wiring.volumes(images, new JnrMounter(), state, Meters.NONE);
            images.pull(ref, Requester.CLI, Credentials.NONE, Cancellation.none());
            Path targets = work.resolve("targets");
            for (int i = 0; i < 50; i++) { // warm-up: JIT and the view
                pair(volumes, ref, targets, "warm" + i);
            }
            long[] lat = new long[mounts];
            for (int i = 0; i < mounts; i++) {
                long t0 = System.nanoTime();
                volumes.mount(request(ref, targets, "m" + i), "CLI", Credentials.NONE, Cancellation.none());
                lat[i] = System.nanoTime() - t0;
            }
            for (int i = 0; i < mounts; i++) {
                volumes.unmount("m" + i);
            }
            Arrays.sort(lat);
            System.out.printf("mount of a warm image with a sub path, %d mounts: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    mounts, lat[mounts / 2] / 1e6, lat[(int) (mounts * 0.99)] / 1e6, lat[mounts - 1] / 1e6);

            ExecutorService pool = Executors.newFixedThreadPool(16);
            int pairs = 2000;
            long t0 = System.nanoTime();
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                String id = "p" + i;
                runs.add(pool.submit(() -> {
                    pair(volumes, ref, targets, id);
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            pool.shutdown();
            System.out.printf("mount+unmount pairs with 16 concurrent callers: %d pairs in %.2f s = %.0f pairs/s%n",
                    pairs, secs, pairs / secs);
        } finally {
            new ProcessBuilder("rm", "-rf", work.toString(), state.toString()).start().waitFor();
        }
    }

    private static MountRequest request(String ref, Path targets, String id) {
        return new MountRequest(id, targets.resolve(id).toString(), ref, "usr/share/data", true, "",
                PullPolicy.IF_NOT_PRESENT, "", "", "");
    }

    private static void pair(VolumeService volumes, String ref, Path targets, String id) {
        volumes.mount(request(ref, targets, id), "CLI", Credentials.NONE, Cancellation.none());
        volumes.unmount(id);
    }
}
