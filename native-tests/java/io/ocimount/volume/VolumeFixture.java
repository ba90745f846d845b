package io.ocimount.volume;

import io.ocimount.testkit.TestImages;
import io.ocimount.image.ImageService;
import io.ocimount.mount.JnrMounter;
import io.ocimount.testkit.FakeRegistry;
import java.nio.file.Path;

/**
 * An image volume service with real mounts for one test: the in-process registry holding {@link
 * VolumeServiceTest#sample} as {@code vol/img:v1}, an image store under {@code tmp/root}, state under {@code
 * tmp/run}. Closing it unmounts what the test left mounted.
 */
final class VolumeFixture implements AutoCloseable {
    final FakeRegistry registry;
    final ImageService images;
    final VolumeService volumes;
    final String ref;

    VolumeFixture(Path tmp, String topText) throws Exception {
        registry = new FakeRegistry("127.0.0.1");
        registry.addImage("vol/img", "v1", VolumeServiceTest.sample(topText));
        ref = registry.host() + "/vol/img:v1";
        images = TestImages.create(tmp.resolve("root"));
        volumes = new VolumeService(images, new JnrMounter(), tmp.resolve("run"));
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
