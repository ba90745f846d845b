package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ocimount.cli.DaemonChannel;
import io.ocimount.daemon.Daemon;
import io.ocimount.config.DaemonConfig;
import io.ocimount.oci.MediaTypes;
import io.ocimount.testkit.ImageBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.AuthConfig;
import runtime.v1.Image;
import runtime.v1.ImageFilter;
import runtime.v1.ImageFsInfoRequest;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.ImageStatusRequest;
import runtime.v1.ListImagesRequest;
import runtime.v1.PullImageRequest;
import runtime.v1.RemoveImageRequest;
import runtime.v1.RuntimeServiceGrpc;
import runtime.v1.VersionRequest;

/** The daemon on a real unix socket, pulling from a real docker-registry on loopback, driven over gRPC. */
@Tag("native")
class CriImageServiceE2ETest {
    @TempDir
    Path tmp;
    RealRegistry registry;
    Daemon daemon;
    ManagedChannel channel;
    ImageServiceGrpc.ImageServiceBlockingStub images;
    Path socket;

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(tmp.resolve("reg"));
        registry = new RealRegistry(tmp.resolve("reg"), null, null);
        startDaemon();
    }

    private void startDaemon() throws Exception {
        socket = tmp.resolve("run/ocimount.sock");
        daemon = new Daemon(DaemonConfig.defaults().withPaths(tmp.resolve("root"), tmp.resolve("run"), socket)
                .withAuditFile(tmp.resolve("audit.jsonl")));
        channel = DaemonChannel.open(socket);
        images = ImageServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        daemon.close();
        registry.close();
    }

    private ImageServiceGrpc.ImageServiceBlockingStub stub() {
        return images.withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private String pull(String ref) {
        return stub().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build()).getImageRef();
    }

    private Image status(String query) {
        var r = stub().imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(query)).build());
        return r.hasImage() ? r.getImage() : null;
    }

    private void remove(String query) {
        stub().removeImage(RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(query)).build());
    }

    private List<Image> list(String filter) {
        return stub().listImages(ListImagesRequest.newBuilder().setFilter(ImageFilter.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(filter))).build()).getImagesList();
    }

    private ImageBuilder.Image multiLayer(String marker) {
        return new ImageBuilder().layer(Map.of("etc/os", marker)).layer(Map.of("bin/tool", "x".repeat(50_000)))
                .layer(Map.of("data/hello.txt", "hi")).user("1002").build();
    }

    @Test
    void socketIsRootOnlyAndVersionAnswers() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        var v = RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .version(VersionRequest.newBuilder().setVersion("0.1.0").build());
        assertEquals("0.1.0", v.getVersion());
        assertEquals("ocimount", v.getRuntimeName());
        var fs = stub().imageFsInfo(ImageFsInfoRequest.getDefaultInstance()).getImageFilesystems(0);
        assertTrue(fs.getTimestamp() > 0);
        assertEquals(tmp.resolve("root").toString(), fs.getFsId().getMountpoint());
        assertTrue(fs.getUsedBytes().getValue() >= 0 && fs.getInodesUsed().getValue() > 0);
    }

    @Test
    void tagPullIsFoundEveryWayAndRemovedWithAllNames() throws Exception {
        ImageBuilder.Image img = multiLayer("one");
        registry.push("test/app", "v1", img);
        registry.pushManifest("test/app", "latest", img.manifest());
        registry.push("other/app", "v9", img);
        String tagged = registry.host() + "/test/app:v1";
        String id = pull(tagged);
        Image byTag = status(tagged);
        assertEquals(id, byTag.getId());
        assertEquals(img.config().digest().toString(), id);
        assertTrue(byTag.getSize() > 0);
        assertEquals(1002, byTag.getUid().getValue());
        assertEquals(List.of(tagged), byTag.getRepoTagsList());
        assertEquals(List.of(registry.host() + "/test/app@" + img.manifest().digest()), byTag.getRepoDigestsList());
        assertEquals(byTag, status(id));
        assertEquals(byTag, status(byTag.getRepoDigests(0)));

        assertEquals(id, pull(registry.host() + "/test/app")); // untagged means :latest
        assertEquals(id, status(registry.host() + "/test/app").getId());
        assertEquals(id, pull(registry.host() + "/other/app:v9")); // same image under another repository
        Image merged = status(id);
        assertEquals(3, merged.getRepoTagsCount());
        assertEquals(1, list("").size());
        assertEquals(1, list(registry.host() + "/other/app").size());
        assertEquals(0, list(registry.host() + "/nothing/here").size());

        long before = stub().imageFsInfo(ImageFsInfoRequest.getDefaultInstance()).getImageFilesystems(0).getUsedBytes().getValue();
        remove(registry.host() + "/other/app:v9");
        for (String name : List.of(tagged, registry.host() + "/test/app", id, registry.host() + "/other/app:v9")) {
            assertEquals(null, status(name), name);
        }
        assertTrue(list("").isEmpty());
        remove(id); // idempotent
        remove("sha256:" + "0".repeat(64));
        Thread.sleep(2100); // the usage cache lives two seconds
        long after = stub().imageFsInfo(ImageFsInfoRequest.getDefaultInstance()).getImageFilesystems(0).getUsedBytes().getValue();
        assertTrue(after < before, "space came back: " + before + " -> " + after);
    }

    @Test
    void digestPullAddsNoTagAndSurvivesRestart() throws Exception {
        ImageBuilder.Image img = multiLayer("two");
        registry.push("test/app", "v2", img);
        String byDigest = registry.host() + "/test/app@" + img.manifest().digest();
        String id = pull(byDigest);
        Image s = status(byDigest);
        assertEquals(0, s.getRepoTagsCount());
        assertEquals(List.of(byDigest), s.getRepoDigestsList());
        channel.shutdownNow();
        daemon.close();
        startDaemon();
        assertEquals(id, status(byDigest).getId(), "records survive a restart");
    }

    @Test
    void multiArchIndexAndArtifact() throws Exception {
        ImageBuilder.Image amd = new ImageBuilder().layer(Map.of("arch", "amd64")).build();
        ImageBuilder.Image arm = new ImageBuilder().layer(Map.of("arch", "arm64")).arch("arm64").build();
        registry.push("test/multi", null, amd);
        registry.push("test/multi", null, arm);
        var both = new java.util.LinkedHashMap<String, ImageBuilder.Image>();
        both.put("linux/arm64", arm);
        both.put("linux/" + io.ocimount.oci.Platform.host().architecture(), amd);
        registry.pushManifest("test/multi", "v1", ImageBuilder.index(both));
        assertEquals(amd.config().digest().toString(), pull(registry.host() + "/test/multi:v1"));

        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] model = "weights".getBytes(StandardCharsets.UTF_8);
        registry.pushBlob("test/art", empty);
        registry.pushBlob("test/art", model);
        ImageBuilder.Blob manifest = ImageBuilder.blob(MediaTypes.OCI_MANIFEST, ("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\"application/vnd.example.model\",\"config\":"
                + ImageBuilder.blob(MediaTypes.OCI_EMPTY, empty).descriptorJson() + ",\"layers\":["
                + ImageBuilder.blob("application/octet-stream", model).descriptorJson() + "]}").getBytes(StandardCharsets.UTF_8));
        registry.pushManifest("test/art", "v1", manifest);
        String id = pull(registry.host() + "/test/art:v1");
        assertEquals(manifest.digest().toString(), id, "an artifact's id is its manifest digest");
        assertTrue(status(id).getSize() > 0);
    }

    @Test
    void corruptAndTruncatedBlobsAreRefusedAndNothingIsStored() throws Exception {
        ImageBuilder.Image img = multiLayer("three");
        registry.push("test/bad", "v1", img);
        ImageBuilder.Blob layer = img.layers().get(1);
        byte[] wrong = layer.bytes().clone();
        wrong[100] ^= 0x55;
        Files.write(registry.blobFile(layer.digest()), wrong);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull(registry.host() + "/test/bad:v1"));
        assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
        String msg = e.getStatus().getDescription();
        assertTrue(msg.contains(registry.host() + "/test/bad:v1") && msg.contains(layer.digest().toString())
                && msg.contains("digest mismatch"), msg);
        assertEquals(null, status(registry.host() + "/test/bad:v1"));

        Files.write(registry.blobFile(layer.digest()), java.util.Arrays.copyOf(layer.bytes(), layer.bytes().length / 2));
        e = assertThrows(StatusRuntimeException.class, () -> pull(registry.host() + "/test/bad:v1"));
        assertTrue(e.getStatus().getDescription().contains("truncated"), e.getStatus().getDescription());
        assertTrue(list("").isEmpty());
        assertFalse(Files.exists(tmp.resolve("root/content/blobs/sha256/" + layer.digest().hex())));
    }

    @Test
    void deadlineIsHonoured() throws Exception {
        registry.push("test/slow", "v1", multiLayer("four"));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> images.withDeadlineAfter(1, TimeUnit.MILLISECONDS)
                .pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(registry.host() + "/test/slow:v1")).build()));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
        Thread.sleep(500);
        assertEquals(null, status(registry.host() + "/test/slow:v1"));
    }

    @Test
    void registryDownIsRegistryUnavailable() throws Exception {
        registry.close();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull(registry.host() + "/test/gone:v1"));
        assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("RegistryUnavailable"), e.getStatus().getDescription());
    }

    @Test
    void htpasswdRegistryNeedsTheCallersCredentials() throws Exception {
        Files.createDirectories(tmp.resolve("authreg"));
        try (RealRegistry secured = new RealRegistry(tmp.resolve("authreg"), "kube", "s3cret")) {
            secured.push("private/app", "v1", multiLayer("five"));
            String ref = secured.host() + "/private/app:v1";
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> pull(ref));
            assertTrue(e.getStatus().getDescription().contains("401"), e.getStatus().getDescription());
            String id = stub().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref))
                    .setAuth(AuthConfig.newBuilder().setUsername("kube").setPassword("s3cret")).build()).getImageRef();
            assertEquals(id, status(ref).getId());
        }
    }
}
