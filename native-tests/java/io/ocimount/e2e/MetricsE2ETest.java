package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.StatusRuntimeException;
import io.ocimount.api.v1.MountVolumeRequest;
import io.ocimount.api.v1.UnmountVolumeRequest;
import io.ocimount.api.v1.VolumeServiceGrpc;
import io.ocimount.testkit.ImageBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.Mount;
import runtime.v1.PullImageRequest;

/** /metrics of a running daemon after a pull, a mount and a failed mount. */
@Tag("native")
class MetricsE2ETest {
    @TempDir
    Path tmp;

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
        assertTrue(m.find(), series + " not in:\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void countersGaugesAndJvmMetricsOnLoopback() throws Exception {
        try (RealRegistry registry = new RealRegistry(Files.createDirectories(tmp.resolve("reg")), null, null)) {
            registry.push("m/img", "1", new ImageBuilder().layer(Map.of("dir/a.txt", "a")).build());
            String ref = registry.host() + "/m/img:1";
            Path dir = Files.createDirectories(tmp.resolve("d"));
            Files.writeString(dir.resolve("config.toml"), "metrics_address = \"127.0.0.1:0\"\n");
            try (DaemonProcess d = DaemonProcess.start(dir)) {
                Matcher port = Pattern.compile("metrics on http://127.0.0.1:(\\d+)/metrics").matcher(d.log());
                assertTrue(port.find(), d.log());
                ImageServiceGrpc.newBlockingStub(d.channel()).pullImage(PullImageRequest.newBuilder()
                        .setImage(ImageSpec.newBuilder().setImage(ref)).build());
                var volumes = VolumeServiceGrpc.newBlockingStub(d.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
                Mount.Builder mount = Mount.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).setReadonly(true);
                volumes.mountVolume(MountVolumeRequest.newBuilder().setVolumeId("ok").setTargetPath(dir.resolve("t/ok").toString())
                        .setMount(mount.setImageSubPath("dir")).build());
                assertThrows(StatusRuntimeException.class, () -> volumes.mountVolume(MountVolumeRequest.newBuilder()
                        .setVolumeId("bad").setTargetPath(dir.resolve("t/bad").toString())
                        .setMount(mount.setImageSubPath("missing")).build()));
                String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port.group(1) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertEquals(1, value(scrape, "ocimount_image_pulls_total{result=\"ok\"}"));
                assertEquals(2, value(scrape, "ocimount_image_volume_requested_total"));
                assertEquals(1, value(scrape, "ocimount_image_volume_mounted_succeed_total"));
                assertEquals(1, value(scrape, "ocimount_image_volume_mounted_errors_total"));
                assertEquals(1, value(scrape, "ocimount_image_volumes_active"));
                assertTrue(value(scrape, "ocimount_registry_bytes_fetched_total") > 0);
                assertTrue(value(scrape, "ocimount_store_bytes") > 0);
                assertTrue(value(scrape, "ocimount_image_pull_duration_seconds_count") >= 1);
                assertTrue(value(scrape, "ocimount_layer_unpack_duration_seconds_count") >= 1);
                assertTrue(scrape.contains("jvm_memory_used_bytes"), "JVM metrics");
                volumes.unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId("ok").build());
            }
        }
    }
}
