package io.ocimount.e2e;

import static io.ocimount.e2e.Commands.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.api.v1.MountVolumeRequest;
import io.ocimount.api.v1.UnmountVolumeRequest;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Json;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.ImageSpec;
import runtime.v1.Mount;

/**
 * `ocimount pack` end to end: pushed to the real registry, pulled and mounted by the daemon, read by skopeo, and
 * pulled and unpacked by containerd (whose diff_id check is where hand-made single-layer images fail).
 */
@Tag("native")
class PackE2ETest {
    private static final Map<String, String> EPOCH = Map.of("SOURCE_DATE_EPOCH", "1700000000");
    @TempDir
    static Path tmp;
    static RealRegistry registry;
    static Path src;
    static Path files;

    @BeforeAll
    static void start() throws Exception {
        registry = new RealRegistry(Files.createDirectories(tmp.resolve("reg")), null, null);
        src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(src.resolve("conf/empty"));
        Files.writeString(src.resolve("conf/app.yaml"), "threads: 4\n");
        byte[] binary = new byte[300_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31 + (i >> 7));
        }
        Files.write(src.resolve("model.bin"), binary);
        Files.createLink(src.resolve("model-2.bin"), src.resolve("model.bin")); // packed once, as a tar hard link
        Files.writeString(src.resolve("run.sh"), "#!/bin/sh\necho ok\n");
        Files.setPosixFilePermissions(src.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(src.resolve("current"), Path.of("conf/app.yaml"));
        files = Files.createDirectories(tmp.resolve("files"));
        Files.createDirectories(files.resolve("tokenizer"));
        Files.writeString(files.resolve("tokenizer/vocab.txt"), "a\nb\n");
        Files.write(files.resolve("weights.safetensors"), binary);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static String[] pack(Path dir, String tag, String... more) throws Exception {
        String[] args = new String[4 + more.length];
        args[0] = "pack";
        args[1] = dir.toString();
        args[2] = "--tag";
        args[3] = tag;
        System.arraycopy(more, 0, args, 4, more.length);
        Commands.Result r = ok(Commands.ocimount(EPOCH, args));
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.describe());
        assertEquals(tag + "@" + lines[0], lines[1], "prints the digest, then the pinned reference");
        return new String[] {lines[0], r.err()};
    }

    @Test
    void packPushPullMountGivesTheSameTreeAndTheSameDigestEveryTime() throws Exception {
        String tag = registry.host() + "/packed/data:v1";
        String digest = pack(src, tag, "--push")[0];
        assertEquals(digest, pack(src, tag, "--oci-layout", tmp.resolve("layout").toString())[0], "same DIR, same digest");
        assertEquals(digest, pack(src, tag)[0]);

        Path dir = Files.createDirectories(tmp.resolve("d1"));
        try (DaemonProcess daemon = DaemonProcess.start(dir)) {
            var volumes = daemon.volumes();
            Path target = dir.resolve("target");
            volumes.mountVolume(request("packed", tag + "@" + digest, target));
            assertEquals(describe(src, true), describe(target, true));
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("run.sh"))));
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("model.bin"))));
            volumes.unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId("packed").build());
        }
    }

    @Test
    void crossRepositoryMountAndSkopeoInspectAndCopyAcceptTheResult() throws Exception {
        String a = registry.host() + "/packed/a:v1";
        String b = registry.host() + "/packed/b:v1";
        String digest = pack(src, a, "--push")[0];
        String err = pack(src, b, "--push", "--mount-from", "packed/a")[1];
        assertTrue(err.lines().anyMatch(l -> l.contains("tar+gzip mounted")), err);

        Commands.Result inspect = ok(Commands.run(Map.of(), List.of("skopeo", "inspect", "--tls-verify=false", "docker://" + b)));
        var json = Json.parse(inspect.out().getBytes(), "skopeo inspect");
        assertEquals(digest, json.path("Digest").asString());
        assertEquals("2023-11-14T22:13:20Z", json.path("Created").asString(), "SOURCE_DATE_EPOCH");
        ok(Commands.run(Map.of(), List.of("skopeo", "copy", "--src-tls-verify=false", "docker://" + b,
                "oci:" + tmp.resolve("skopeo-copy") + ":v1")));
        Path layout = tmp.resolve("layout2");
        pack(src, registry.host() + "/packed/c:v1", "--oci-layout", layout.toString());
        ok(Commands.run(Map.of(), List.of("skopeo", "copy", "--dest-tls-verify=false", "oci:" + layout + ":v1",
                "docker://" + registry.host() + "/packed/from-layout:v1")));
        Commands.Result raw = ok(Commands.run(Map.of(), List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
                "docker://" + registry.host() + "/packed/from-layout:v1")));
        assertEquals(digest, Digest.of(raw.out().getBytes()).toString(), "skopeo copied our layout byte for byte");
    }

    @Test
    void containerdPullsAndUnpacksThePackedMultiPlatformImage() throws Exception {
        String tag = registry.host() + "/packed/multi:v1";
        pack(src, tag, "--push", "--platform", "linux/amd64", "--platform", "linux/arm64");
        try (Containerd ctd = new Containerd(Files.createDirectories(tmp.resolve("ctd")))) {
            Commands.Result pull = ctd.ctr("images", "pull", "--plain-http", tag);
            assertEquals(0, pull.rc(), pull.describe());
            assertTrue(pull.out().contains("unpacking linux/"), pull.describe());
            Path m = Files.createDirectories(tmp.resolve("ctd-mount"));
            ok(ctd.ctr("images", "mount", tag, m.toString()));
            try {
                assertEquals(describe(src, true), describe(m, true), "containerd sees the same tree");
            } finally {
                ok(ctd.ctr("images", "unmount", m.toString()));
            }
        }
    }

    @Test
    void artifactPackedFromADirectoryMountsAsTheSameFiles() throws Exception {
        String tag = registry.host() + "/packed/files:v1";
        String digest = pack(files, tag, "--push", "--artifact")[0];
        Path dir = Files.createDirectories(tmp.resolve("d2"));
        try (DaemonProcess daemon = DaemonProcess.start(dir)) {
            var volumes = daemon.volumes();
            Path target = dir.resolve("target");
            var r = volumes.mountVolume(request("files", tag, target));
            assertEquals(digest, r.getImageRef(), "an artifact's id is its manifest digest");
            assertEquals(describe(files, false), describe(target, false));
            volumes.unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId("files").build());
        }
    }

    @Test
    void pushUsesThePullsCredentialsAndHostsToml() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d3"));
        try (RealRegistry locked = new RealRegistry(Files.createDirectories(tmp.resolve("reg-auth")), "packer", "s3cret")) {
            Files.createDirectories(dir.resolve("certs.d/example.test"));
            Files.writeString(dir.resolve("certs.d/example.test/hosts.toml"), "server = \"http://" + locked.host() + "\"\n");
            Files.writeString(dir.resolve("docker.json"), "{\"auths\":{\"example.test\":{\"auth\":\""
                    + java.util.Base64.getEncoder().encodeToString("packer:s3cret".getBytes()) + "\"}}}");
            Files.writeString(dir.resolve("config.toml"), "[registry]\nconfig_path = \"" + dir.resolve("certs.d")
                    + "\"\ndocker_config = \"" + dir.resolve("docker.json") + "\"\n");

            Commands.Result anonymous = Commands.ocimount(EPOCH, "pack", src.toString(), "--tag",
                    locked.host() + "/packed/data:v1", "--push", "--config", dir.resolve("absent.toml").toString());
            assertEquals(4, anonymous.rc(), anonymous.describe());
            assertTrue(anonymous.err().contains("401"), anonymous.describe());
            assertTrue(!anonymous.err().contains("s3cret") && !anonymous.out().contains("s3cret"));

            String tag = "example.test/packed/data:v1";
            String digest = pack(src, tag, "--push", "--config", dir.resolve("config.toml").toString())[0];
            try (DaemonProcess daemon = DaemonProcess.start(dir)) { // the same config.toml: hosts.toml and config.json
                var volumes = daemon.volumes();
                var r = volumes.mountVolume(request("authed", tag, dir.resolve("target")));
                assertEquals(digest, r.getManifestDigest());
                assertEquals(describe(src, true), describe(dir.resolve("target"), true));
                volumes.unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId("authed").build());
            }
        }
    }

    private static MountVolumeRequest request(String id, String image, Path target) {
        return MountVolumeRequest.newBuilder().setVolumeId(id).setTargetPath(target.toString())
                .setMount(Mount.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).setReadonly(true)).build();
    }

    /** Each path's kind, content digest, executable bit and link target; with {@code modes}, the exec bit too. */
    private static Map<String, String> describe(Path root, boolean modes) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(p -> !p.equals(root)).toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, "dir");
                } else {
                    boolean exec = Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_EXECUTE);
                    out.put(rel, "file " + Digest.of(Files.readAllBytes(p)) + (modes && exec ? " exec" : ""));
                }
            }
        }
        return out;
    }
}
