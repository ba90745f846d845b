package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ocimount.api.v1.ImagesGrpc;
import io.ocimount.api.v1.MountVolumeRequest;
import io.ocimount.api.v1.PullPolicy;
import io.ocimount.api.v1.PullRequest;
import io.ocimount.cri.GrpcErrors;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import runtime.v1.AuthConfig;
import runtime.v1.ImageFilter;
import runtime.v1.ImageServiceGrpc;
import runtime.v1.ImageSpec;
import runtime.v1.ImageStatusRequest;
import runtime.v1.ListImagesRequest;
import runtime.v1.Mount;
import runtime.v1.PullImageRequest;
import runtime.v1.RemoveImageRequest;

/**
 * Issue #11's fault campaign as a table: bad input sent over the daemon's real socket with the generated stubs
 * must come back as the expected code (never INTERNAL or UNKNOWN), with a description short enough for gRPC's
 * 8 KiB metadata limit (else the client sees RESOURCE_EXHAUSTED instead of the error) and without raw control
 * characters. A new case is one more row in {@link #cases()}.
 */
@Tag("native")
class BadInputE2ETest {
    private static final String SECRET_AUTH = "%%%not-base64";
    private static final String MIB_REF = "a".repeat(1 << 20);
    private static final String KIB64_REF = "registry.example/" + "b".repeat(64 << 10) + ":1.0";

    @TempDir
    static Path tmp;
    static RealRegistry registry;
    static DaemonProcess daemon;
    static Calls calls;
    /** An image in the store, so mount cases get as far as the sub path. */
    static String present;

    /** One bad request: what it sends, the code it must get, and a phrase its description must hold. */
    record Case(String name, Consumer<Calls> send, Status.Code expected, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        registry = new RealRegistry(Files.createDirectories(tmp.resolve("reg")), null, null);
        ImageBuilder.Image image = new ImageBuilder().layer(new TarBuilder().dir("etc", 0755)
                .file("etc/passwd", "root:x:0:0::/root:/bin/sh\n").build()).build();
        registry.push("bad/input", "1.0", image);
        present = registry.host() + "/bad/input:1.0";
        daemon = DaemonProcess.start(Files.createDirectories(tmp.resolve("daemon")));
        calls = new Calls(daemon);
        calls.cri().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(present)).build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        Map<String, String> badRefs = new java.util.LinkedHashMap<>();
        badRefs.put("a 1 MiB reference", MIB_REF);
        badRefs.put("a 64 KiB reference", KIB64_REF);
        badRefs.put("a reference with NUL", "busy\0box:1.36");
        badRefs.put("a reference with a newline", "busybox:1.36\nINFO forged log line");
        badRefs.put("a reference with ..", "registry.example/../etc/passwd");
        badRefs.put("an upper-case repository", "registry.example/Team/App:1.0");
        badRefs.put("a bad digest", "busybox@sha256:not-a-digest");
        badRefs.forEach((what, ref) -> {
            c.add(new Case("PullImage with " + what, x -> x.pull(ref, AuthConfig.getDefaultInstance()),
                    Status.Code.INVALID_ARGUMENT, "InvalidImageName"));
            c.add(new Case("ImageStatus with " + what, x -> x.status(ref), Status.Code.INVALID_ARGUMENT, "InvalidImageName"));
            c.add(new Case("RemoveImage with " + what, x -> x.remove(ref), Status.Code.INVALID_ARGUMENT, "InvalidImageName"));
            c.add(new Case("ListImages filter with " + what, x -> x.list(ref), Status.Code.INVALID_ARGUMENT, "InvalidImageName"));
        });
        c.add(new Case("PullImage with an empty reference", x -> x.pull("", AuthConfig.getDefaultInstance()),
                Status.Code.INVALID_ARGUMENT, "no image specified"));
        c.add(new Case("ImageStatus with an empty reference", x -> x.status(""), Status.Code.INVALID_ARGUMENT,
                "no image specified"));
        c.add(new Case("RemoveImage with an empty reference", x -> x.remove(""), Status.Code.INVALID_ARGUMENT,
                "no image specified"));

        AuthConfig badAuth = AuthConfig.newBuilder().setAuth(SECRET_AUTH).build();
        c.add(new Case("PullImage with an auth that is not base64", x -> x.pull(present, badAuth),
                Status.Code.INVALID_ARGUMENT, "not valid base64"));
        c.add(new Case("Images.Pull with an auth that is not base64", x -> x.cliPull(present, badAuth),
                Status.Code.INVALID_ARGUMENT, "not valid base64"));
        c.add(new Case("MountVolume with an auth that is not base64", x -> x.mount(mount("v-auth", "auth", present, "")
                .setPullPolicy(PullPolicy.ALWAYS).setAuth(badAuth)), Status.Code.INVALID_ARGUMENT, "not valid base64"));

        c.add(new Case("MountVolume with a 1 MiB image reference", x -> x.mount(mount("v-ref", "ref", MIB_REF, "")),
                Status.Code.INVALID_ARGUMENT, "InvalidImageName"));
        // NEVER and an absent image: if the id got through, the answer would be ErrImageNeverPull, not a mount
        c.add(new Case("MountVolume with a 1 MiB volume id", x -> x.mount(mount("v".repeat(1 << 20), "id",
                registry.host() + "/bad/absent:1", "").setPullPolicy(PullPolicy.NEVER)),
                Status.Code.INVALID_ARGUMENT, "volume id"));
        c.add(new Case("MountVolume with NUL in the sub path", x -> x.mount(mount("v-nul", "nul", present, "etc\0passwd")),
                Status.Code.INVALID_ARGUMENT, "sub path"));

        Map<String, String> badTargets = new java.util.LinkedHashMap<>();
        badTargets.put("NUL in the target", "/tmp/ocimount-bad/a\0b");
        badTargets.put("\"..\" in the target", "/tmp/ocimount-bad/../etc");
        badTargets.put("a relative target", "relative/target");
        badTargets.put("a 64 KiB target", "/" + "t".repeat(64 << 10));
        badTargets.put("a target under /proc/sys", "/proc/sys/kernel/ocimount-bad");
        badTargets.put("a target under /sys", "/sys/fs/ocimount-bad");
        badTargets.put("a target under /dev", "/dev/ocimount-bad");
        badTargets.put("the daemon's store as target", tmp.resolve("daemon/root/content").toString());
        badTargets.put("the daemon's state directory as target", tmp.resolve("daemon/run").toString());
        badTargets.forEach((what, target) -> c.add(new Case("MountVolume with " + what, x -> x.mount(mount("v-target",
                "unused", present, "").setTargetPath(target)), Status.Code.INVALID_ARGUMENT, "target")));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputIsRefusedReadably(Case c) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> c.send().accept(calls), c.name());
        Status.Code code = e.getStatus().getCode();
        String description = String.valueOf(e.getStatus().getDescription());
        String shown = description.length() > 300 ? description.substring(0, 300) + "…" : description;
        assertFalse(code == Status.Code.INTERNAL || code == Status.Code.UNKNOWN, () -> code + ": " + shown);
        assertEquals(c.expected(), code, shown);
        assertTrue(description.getBytes(StandardCharsets.UTF_8).length <= GrpcErrors.MAX_DESCRIPTION_BYTES,
                () -> description.length() + " chars: " + shown);
        assertTrue(description.chars().noneMatch(Character::isISOControl), () -> "raw control character in " + shown);
        assertTrue(description.contains(c.says()), () -> "\"" + c.says() + "\" not in " + shown);
        assertFalse(description.contains(SECRET_AUTH), "the auth value is never echoed");
    }

    private static MountVolumeRequest.Builder mount(String id, String target, String image, String subPath) {
        return MountVolumeRequest.newBuilder().setVolumeId(id).setTargetPath(tmp.resolve("targets").resolve(target).toString())
                .setMount(Mount.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).setImageSubPath(subPath)
                        .setReadonly(true));
    }

    /** The daemon's RPCs, one line each, so a case reads as what it sends. */
    record Calls(DaemonProcess daemon) {
        ImageServiceGrpc.ImageServiceBlockingStub cri() {
            return ImageServiceGrpc.newBlockingStub(daemon.channel()).withDeadlineAfter(60, TimeUnit.SECONDS);
        }

        void pull(String ref, AuthConfig auth) {
            cri().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).setAuth(auth).build());
        }

        void cliPull(String ref, AuthConfig auth) {
            ImagesGrpc.newBlockingStub(daemon.channel()).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .pull(PullRequest.newBuilder().setImage(ref).setAuth(auth).build()).forEachRemaining(p -> { });
        }

        void status(String ref) {
            cri().imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build());
        }

        void remove(String ref) {
            cri().removeImage(RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(ref)).build());
        }

        void list(String filter) {
            cri().listImages(ListImagesRequest.newBuilder().setFilter(ImageFilter.newBuilder()
                    .setImage(ImageSpec.newBuilder().setImage(filter))).build());
        }

        void mount(MountVolumeRequest.Builder req) {
            daemon.volumes().mountVolume(req.build());
        }
    }
}
