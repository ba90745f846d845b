package io.ocimount.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.wiring.Wiring;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.image.ImageService;
import io.ocimount.metrics.Meters;
import io.ocimount.mount.Mounter;
import io.ocimount.registry.Credentials;
import io.ocimount.testkit.TestImages;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * An image volume service for one test, with real mounts ({@code JnrMounter}, as root) or a {@link FakeMounter}:
 * the in-process registry holding {@link #sample} as {@code vol/img:v1}, an image store under {@code tmp/root},
 * state under {@code tmp/run}. Closing it unmounts what the test left mounted. The one place tests build these.
 */
final class VolumeFixture implements AutoCloseable {
    final FakeRegistry registry;
    final ImageService images;
    final Mounter mounter;
    final VolumeService volumes;
    final String ref;
    private final Path stateDir;

    VolumeFixture(Path tmp, String topText, Mounter mounter) throws Exception {
        registry = new FakeRegistry("127.0.0.1");
        registry.addImage("vol/img", "v1", sample(topText));
        ref = registry.host() + "/vol/img:v1";
        images = TestImages.create(tmp.resolve("root"));
        this.mounter = mounter;
        this.stateDir = tmp.resolve("run");
        volumes = restarted();
    }

    /** Two layers: a tool, nested data and links that lead out of the image; {@code data/top.txt} on top. */
    static ImageBuilder.Image sample(String topText) {
        byte[] l1 = new TarBuilder()
                .dir("bin", 0755).file("bin/hello", "#!/bin/sh\necho hello-from-volume\n".getBytes(StandardCharsets.UTF_8), 0755)
                .file("bin/suid", "#!/bin/sh\nid -u\n".getBytes(StandardCharsets.UTF_8), 04755)
                .dir("data", 0755).dir("data/nested", 0755).dir("data/nested/deep", 0755)
                .file("data/nested/deep/file.txt", "deep").file("data/config.json", "{\"k\":1}")
                .symlink("etc-link", "/etc").symlink("b", "../../../../../../..").symlink("a", "b")
                .build();
        byte[] l2 = new TarBuilder().file("data/top.txt", topText).build();
        return new ImageBuilder().layer(l1).layer(l2).build();
    }

    /** A new service over the same images, mounter and state directory, as after a daemon restart. */
    VolumeService restarted() {
        return Wiring.volumes(images, mounter, stateDir, Meters.NONE);
    }

    /** Mounts the whole image as volume {@code id} on {@code target}. */
    VolumeRecord mountOn(String id, String target) {
        return volumes.mount(new MountRequest(id, target, ref, "", true, "", null, "ns", "pod", "uid"), "CLI", Credentials.NONE,
                Cancellation.none());
    }

    /** Expects {@code target} refused as INVALID_ARGUMENT, named in the message, with no volume recorded. */
    OciMountException refusedTarget(String target) {
        OciMountException e = assertThrows(OciMountException.class, () -> mountOn("bad", target));
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), e::getMessage);
        assertTrue(e.getMessage().contains(target.length() > 200 ? target.substring(0, 100) : target), e::getMessage);
        assertTrue(volumes.list().stream().noneMatch(v -> v.id().equals("bad")), "no volume recorded");
        return e;
    }

    /**
     * Mounts and unmounts {@code pairs} volumes at once on 16 threads, their sub paths in turn the whole image, a
     * directory and a file; {@code mount} is given the volume id and the sub path. Throws the first failure.
     */
    void mountAndUnmountConcurrently(int pairs, BiConsumer<String, String> mount) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                String id = "c" + i;
                String sub = i % 3 == 0 ? "" : i % 3 == 1 ? "data" : "data/top.txt";
                runs.add(pool.submit(() -> {
                    mount.accept(id, sub);
                    volumes.unmount(id);
                    return null;
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Override
    public void close() {
        for (VolumeRecord r : volumes.list()) {
            volumes.unmount(r.id());
        }
        images.close();
        registry.close();
    }
}
