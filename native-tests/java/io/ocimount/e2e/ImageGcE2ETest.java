package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.api.v1.MountVolumeRequest;
import io.ocimount.api.v1.UnmountVolumeRequest;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.FilesystemUsage;
import runtime.v1.Image;
import runtime.v1.ImageFsInfoRequest;
import runtime.v1.ImageFsInfoResponse;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.ImageStatusRequest;
import runtime.v1.ListImagesRequest;
import runtime.v1.Mount;
import runtime.v1.PullImageRequest;

/**
 * Image garbage collection on a 100 MiB tmpfs store: seven images use 44% of it, and a pull of an 8 MiB image
 * (about 24 MiB to write, blob and unpacked copy) would take it over the 60% high mark. Before fetching, the
 * least recently used unused images go until the store is at the 47% low mark with that pull counted: three of
 * the four unused ones, in the order they were last used, while the in-flight, the pinned and the mounted images,
 * older than all of them, stay. Sizes are chosen so that each step is megabytes away from the marks.
 */
@Tag("native")
class ImageGcE2ETest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;
    Path store;
    FakeRegistry registry;

    @AfterEach
    void unmountStore() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (store != null) {
            Commands.run(Map.of(), List.of("umount", "-l", store.toString()));
        }
    }

    private static ImageBuilder.Image image(int seed, int bytes) throws Exception {
        byte[] noise = new byte[bytes];
        new Random(seed).nextBytes(noise); // incompressible: blob and unpacked file are each this large
        return new ImageBuilder().layer(new TarBuilder().file("data.bin", noise, 0644).build()).build();
    }

    @Test
    void aPullOverTheHighMarkRemovesLeastRecentlyUsedUnusedImagesDownToTheLowMark() throws Exception {
        registry = new FakeRegistry("127.0.0.1");
        Map<String, ImageBuilder.Image> images = new LinkedHashMap<>();
        images.put("team/inflight:1", image(1, 2 * MIB));
        images.put("team/agent:1", image(2, 2 * MIB));
        images.put("team/mounted:1", image(3, 2 * MIB));
        for (int i = 1; i <= 4; i++) {
            images.put("team/lru:" + i, image(10 + i, 4 * MIB));
        }
        images.put("team/big:1", image(20, 8 * MIB));
        images.forEach((ref, img) -> registry.addImage(ref.substring(0, ref.indexOf(':')), ref.substring(ref.indexOf(':') + 1), img));
        String host = registry.host();

        Path dir = tmp;
        store = Files.createDirectories(dir.resolve("root"));
        Commands.ok(Commands.run(Map.of(), List.of("mount", "-t", "tmpfs", "-o", "size=" + 100 * MIB + ",mode=0700", "tmpfs",
                store.toString())));
        Files.writeString(dir.resolve("config.toml"), "metrics_address = \"127.0.0.1:0\"\n[gc]\nhigh_percent = 60\n"
                + "low_percent = 47\nmin_age_seconds = 0\npinned = [\"" + host + "/team/agent:*\"]\n");
        try (DaemonProcess d = DaemonProcess.start(dir)) {
            Cri cri = new Cri(d);
            for (String ref : images.keySet()) {
                if (!ref.startsWith("team/big")) {
                    pull(cri, host + "/" + ref);
                }
            }
            Path target = dir.resolve("targets/mounted");
            d.volumes().mountVolume(mount("mounted", target, host + "/team/mounted:1"));
            d.volumes().mountVolume(mount("reuse", dir.resolve("targets/reuse"), host + "/team/lru:1"));
            d.volumes().unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId("reuse").build()); // lru:1 used last
            long usedBefore = fsInfo(cri).getImageFilesystems(0).getUsedBytes().getValue();
            assertTrue(usedBefore > 44L * MIB && usedBefore < 46L * MIB, "7 images, 44 MiB: " + usedBefore);

            // a pull of inflight, the oldest image of all, waits at the registry for its config: in flight
            ImageBuilder.Image inflight = images.get("team/inflight:1");
            registry.gate(inflight.config().digest());
            CompletableFuture<String> repull = CompletableFuture.supplyAsync(() -> pull(cri, host + "/team/inflight:1"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (registry.waitingAt(inflight.config().digest()) == 0) {
                assertTrue(System.nanoTime() < deadline, "the pull of inflight reached the registry");
                Thread.sleep(20);
            }

            assertEquals(images.get("team/big:1").config().digest().toString(), pull(cri, host + "/team/big:1"));

            for (String gone : List.of("team/lru:2", "team/lru:3", "team/lru:4")) {
                assertFalse(has(cri, host + "/" + gone), gone + " was among the least recently used");
            }
            for (String kept : List.of("team/inflight:1", "team/agent:1", "team/mounted:1", "team/lru:1", "team/big:1")) {
                assertTrue(has(cri, host + "/" + kept), kept + " stays");
            }
            Matcher removals = Pattern.compile("image gc removed sha256:\\w+ \\[" + Pattern.quote(host)
                    + "/team/(lru:\\d)\\] size=\\d+, (\\d+) bytes freed: a pull of about \\d+ bytes would take the store's"
                    + " file system to 6\\d%, over gc.high_percent 60; freeing down to gc.low_percent 47").matcher(d.log());
            long loggedFreed = 0;
            StringBuilder order = new StringBuilder();
            while (removals.find()) {
                order.append(removals.group(1)).append(' ');
                loggedFreed += Long.parseLong(removals.group(2));
            }
            assertEquals("lru:2 lru:3 lru:4 ", order.toString(), "one log line per removal, least recently used first:\n"
                    + d.log());
            assertTrue(loggedFreed >= 3L * 8 * MIB && loggedFreed < 3L * 8 * MIB + MIB, "blob and layer of each: " + loggedFreed);

            String scrape = scrape(d);
            assertEquals(3, value(scrape, "ocimount_gc_removed_total{reason=\"space\"}"));
            assertEquals(loggedFreed, (long) value(scrape, "ocimount_gc_freed_bytes_total"));

            ImageFsInfoResponse after = fsInfo(cri);
            long usedAfter = after.getImageFilesystems(0).getUsedBytes().getValue();
            assertTrue(usedAfter < usedBefore - 7L * MIB, "24 MiB freed, 16 MiB pulled: " + usedBefore + " -> " + usedAfter);
            assertEquals(List.of(after.getImageFilesystems(0)), after.getContainerFilesystemsList(),
                    "one file system for images and volumes: container_filesystems as CRI-O fills it then");
            FilesystemUsage fs = after.getImageFilesystems(0);
            assertEquals(store.toString(), fs.getFsId().getMountpoint());

            assertTrue(Files.isRegularFile(target.resolve("data.bin")), "the mounted image is still readable");
            for (Image i : cri.stub().listImages(ListImagesRequest.getDefaultInstance()).getImagesList()) {
                assertEquals(i.getRepoTagsList().equals(List.of(host + "/team/agent:1")), i.getPinned(), i.getRepoTagsList()
                        + " pinned only when gc.pinned names it");
            }
            assertTrue(cri.stub().imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder()
                    .setImage(host + "/team/agent:1")).build()).getImage().getPinned());

            registry.open(inflight.config().digest());
            assertEquals(inflight.config().digest().toString(), repull.get(60, TimeUnit.SECONDS), "the in-flight pull finishes");

            // ImageSpec.runtime_handler is accepted and logged
            cri.stub().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(host + "/team/lru:1")
                    .setRuntimeHandler("kata")).build());
            assertTrue(d.log().contains("runtime handler \"kata\""), d.log());
            d.volumes().unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId("mounted").build());
        }
    }

    private static MountVolumeRequest mount(String id, Path target, String ref) {
        return MountVolumeRequest.newBuilder().setVolumeId(id).setTargetPath(target.toString())
                .setMount(Mount.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).setReadonly(true)).build();
    }

    private static String pull(Cri cri, String ref) {
        return cri.stub().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build()).getImageRef();
    }

    private static boolean has(Cri cri, String ref) {
        return cri.stub().imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build())
                .hasImage();
    }

    /** A fresh walk: every pull and every collection drops the cached usage. */
    private static ImageFsInfoResponse fsInfo(Cri cri) {
        return cri.stub().imageFsInfo(ImageFsInfoRequest.getDefaultInstance());
    }

    /** The CRI ImageService of the daemon, each call bounded to two minutes. */
    private record Cri(DaemonProcess d) {
        ImageServiceGrpc.ImageServiceBlockingStub stub() {
            return ImageServiceGrpc.newBlockingStub(d.channel()).withDeadlineAfter(120, TimeUnit.SECONDS);
        }
    }

    private static String scrape(DaemonProcess d) throws Exception {
        Matcher port = Pattern.compile("metrics on http://127.0.0.1:(\\d+)/metrics").matcher(d.log());
        assertTrue(port.find(), d.log());
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1)
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
        assertTrue(m.find(), series + " not in:\n" + scrape);
        return Double.parseDouble(m.group(1));
    }
}
