package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ocimount.api.v1.MountVolumeRequest;
import io.ocimount.api.v1.UnmountVolumeRequest;
import io.ocimount.oci.MediaTypes;
import io.ocimount.testkit.ArtifactBuilder;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.ImageStatusRequest;
import runtime.v1.ListImagesRequest;
import runtime.v1.Mount;

/** OCI artifacts pulled from the real registry and mounted through the daemon's socket, whole and by subPath. */
@Tag("native")
class ArtifactVolumeE2ETest {
    @TempDir
    static Path tmp;
    static RealRegistry registry;
    static ImageBuilder.Image artifact = new ArtifactBuilder().artifactType("application/vnd.example.model")
            .file("README.md", "# model\n")
            .file("weights/model.safetensors", "w".repeat(4096))
            .layer(MediaTypes.OCI_LAYER_GZIP, ImageBuilder.gzip(new TarBuilder().dir("tokenizer", 0755)
                    .file("tokenizer/vocab.txt", "a\nb\n").build()), Map.of(ArtifactBuilder.TITLE, "extras"))
            .build();
    static ImageBuilder.Image hostile = new ArtifactBuilder().file("ok", "ok").file("../../etc/cron.d/x", "evil").build();

    @BeforeAll
    static void start() throws Exception {
        registry = new RealRegistry(Files.createDirectories(tmp.resolve("reg")), null, null);
        registry.push("models/tiny", "v1", artifact);
        registry.push("models/hostile", "v1", hostile);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static MountVolumeRequest request(String id, String image, Path target, String subPath) {
        return MountVolumeRequest.newBuilder().setVolumeId(id).setTargetPath(target.toString())
                .setMount(Mount.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).setImageSubPath(subPath)
                        .setReadonly(true)).build();
    }

    @Test
    void artifactMountsAsADirectoryOfItsLayersReadOnlyAndBySubPath() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d1"));
        String ref = registry.host() + "/models/tiny:v1";
        try (DaemonProcess daemon = DaemonProcess.start(dir)) {
            var volumes = daemon.volumes();
            Path whole = dir.resolve("targets/whole");
            var r = volumes.mountVolume(request("art-whole", ref, whole, ""));
            assertEquals(artifact.manifest().digest().toString(), r.getImageRef(), "an artifact's id is its manifest digest");
            assertEquals(List.of("README.md", "extras", "weights"), names(whole));
            assertEquals("# model\n", Files.readString(whole.resolve("README.md")));
            assertEquals(4096, Files.size(whole.resolve("weights/model.safetensors")));
            assertEquals("a\nb\n", Files.readString(whole.resolve("extras/tokenizer/vocab.txt")), "the tar layer is unpacked");
            FileSystemException ro = assertThrows(FileSystemException.class, () -> Files.writeString(whole.resolve("new"), "x"));
            assertTrue(ro.getMessage().contains("Read-only file system") || ro instanceof AccessDeniedException, ro.getMessage());

            Path sub = dir.resolve("targets/weights");
            volumes.mountVolume(request("art-sub", ref, sub, "weights"));
            assertEquals(List.of("model.safetensors"), names(sub));
            Path one = dir.resolve("targets/vocab.txt");
            volumes.mountVolume(request("art-file", ref, one, "extras/tokenizer/vocab.txt"));
            assertEquals("a\nb\n", Files.readString(one));

            var cri = ImageServiceGrpc.newBlockingStub(daemon.channel());
            var status = cri.imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref))
                    .setVerbose(true).build());
            assertEquals(artifact.manifest().digest().toString(), status.getImage().getId());
            assertTrue(status.getInfoMap().get("info").contains("application/vnd.example.model"), status.getInfoMap().toString());

            for (String id : List.of("art-whole", "art-sub", "art-file")) {
                volumes.unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId(id).build());
            }
            assertFalse(Files.exists(whole));
            assertEquals(1, names(dir.resolve("root/snapshots")).size(), "one tree for the artifact");
            cri.removeImage(runtime.v1.RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build());
            assertEquals(List.of(), names(dir.resolve("root/snapshots")), "the tree goes with the artifact");
        }
    }

    @Test
    void artifactWithAnEscapingNameIsRefusedAtPullAndNothingIsStored() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d2"));
        String ref = registry.host() + "/models/hostile:v1";
        try (DaemonProcess daemon = DaemonProcess.start(dir)) {
            var volumes = daemon.volumes();
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> volumes.mountVolume(request("evil", ref, dir.resolve("targets/evil"), "")));
            assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode(), "a failed pull keeps CRI's pull error code");
            String msg = e.getStatus().getDescription();
            assertTrue(msg.contains("artifact layer " + hostile.layers().get(1).digest() + " (\"../../etc/cron.d/x\")")
                    && msg.contains("climbs out with ..") && msg.contains(ref), msg);
            var cri = ImageServiceGrpc.newBlockingStub(daemon.channel());
            assertEquals(0, cri.listImages(ListImagesRequest.getDefaultInstance()).getImagesCount(), "no record stored");
            assertEquals(List.of(), names(dir.resolve("root/snapshots")), "no tree, prepared or committed, is left");
            assertFalse(Files.exists(dir.resolve("root/etc/cron.d/x")));
            assertFalse(Files.exists(dir.resolve("targets/evil")));
        }
    }

    private static List<String> names(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
