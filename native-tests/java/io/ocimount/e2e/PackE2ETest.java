package io.ocimount.e2e;

import static io.ocimount.e2e.Commands.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
        String[] args = new String[more.length + 1];
        args[0] = dir.toString();
        System.arraycopy(more, 0, args, 1, more.length);
        return packArgs(tag, args);
    }

    /** {@code ocimount pack --tag TAG ARGS...}: the digest, then stderr. */
    private static String[] packArgs(String tag, String... more) throws Exception {
        String[] args = new String[3 + more.length];
        args[0] = "pack";
        args[1] = "--tag";
        args[2] = tag;
        System.arraycopy(more, 0, args, 3, more.length);
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

    /** libdeflate by default; without libdeflate0, zlib and a note saying so; each engine its own digest. */
    @Test
    void packWithoutLibdeflateUsesZlibAndSaysSo() throws Exception {
        String tag = "example.test/packed/engines:v1";
        String zlib = pack(src, tag, "--gzip", "zlib")[0];
        String[] preferred = pack(src, tag);
        assertNotEquals(zlib, preferred[0], "libdeflate is installed here (native-tests/run.sh): other bytes than zlib's");
        assertEquals(preferred[0], pack(src, tag, "--gzip", "libdeflate")[0]);
        assertFalse(preferred[1].contains("libdeflate"), preferred[1]);

        Map<String, String> without = new java.util.HashMap<>(EPOCH);
        without.put("JAVA_TOOL_OPTIONS", "-Docimount.libdeflate=ocimount-test-absent");
        Commands.Result r = ok(Commands.ocimount(without, "pack", "--tag", tag, src.toString()));
        assertEquals(zlib, r.out().strip().split("\n")[0], "zlib's digest");
        assertTrue(r.err().contains("apt-get install libdeflate0") && r.err().contains("compressing with zlib"), r.describe());
        r = Commands.ocimount(without, "pack", "--tag", tag, "--gzip", "libdeflate", src.toString());
        assertEquals(2, r.rc(), r.describe());
        assertTrue(r.err().contains("--gzip libdeflate: libdeflate is not installed"), r.describe());
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
    void containerdAndSkopeoSeeTheRunConfigOfATwoLayerImageAndARebuildReusesTheUnchangedLayer() throws Exception {
        Path jre = Files.createDirectories(tmp.resolve("app-jre/opt/jre/bin")).getParent().getParent().getParent();
        Files.writeString(jre.resolve("opt/jre/bin/java"), "#!/bin/sh\necho java \"$@\"\n");
        Files.setPosixFilePermissions(jre.resolve("opt/jre/bin/java"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path app = Files.createDirectories(tmp.resolve("app-v1/app")).getParent();
        Files.writeString(app.resolve("app/app.jar"), "v1");
        String[] run = {"--entrypoint", "[\"/opt/jre/bin/java\", \"-jar\", \"/app/app.jar\"]", "--cmd", "serve",
                "--cmd", "fast", "--env", "JAVA_HOME=/opt/jre", "--env", "PATH=/opt/jre/bin:/usr/bin:/bin",
                "--workdir", "/app", "--user", "65532:65532", "--label", "org.opencontainers.image.title=app",
                "--label", "team=storage", "--expose", "8080/tcp", "--expose", "9090", "--expose", "53/udp"};
        String v1 = registry.host() + "/packed/app:v1";
        String digest = packArgs(v1, concat(run, "--layer", jre.toString(), "--layer", app.toString(), "--push"))[0];
        assertEquals(digest, packArgs(v1, concat(run, "--layer", jre.toString(), "--layer", app.toString()))[0],
                "same layers and flags, same digest");

        var skopeo = Json.parse(ok(Commands.run(Map.of(), List.of("skopeo", "inspect", "--config", "--tls-verify=false",
                "docker://" + v1))).out().getBytes(), "skopeo inspect --config");
        assertRunConfig(skopeo);
        try (Containerd ctd = new Containerd(Files.createDirectories(tmp.resolve("ctd-app")))) {
            Commands.Result pull = ctd.ctr("images", "pull", "--plain-http", v1);
            assertEquals(0, pull.rc(), pull.describe());
            var manifest = Json.parse(ok(ctd.ctr("content", "get", digest)).out().getBytes(), "manifest");
            assertEquals(2, manifest.path("layers").size());
            String configDigest = manifest.path("config").path("digest").asString();
            var config = Json.parse(ok(ctd.ctr("content", "get", configDigest)).out().getBytes(), "config");
            assertRunConfig(config);
            assertEquals(skopeo.toString(), config.toString(), "containerd and skopeo read the same config");
            Path m = Files.createDirectories(tmp.resolve("ctd-app-mount"));
            ok(ctd.ctr("images", "mount", v1, m.toString()));
            try {
                assertEquals("v1", Files.readString(m.resolve("app/app.jar")), "the upper layer");
                assertTrue(Files.isExecutable(m.resolve("opt/jre/bin/java")), "the lower layer");
            } finally {
                ok(ctd.ctr("images", "unmount", m.toString()));
            }
        }

        Path app2 = Files.createDirectories(tmp.resolve("app-v2/app")).getParent();
        Files.writeString(app2.resolve("app/app.jar"), "v2");
        String v2 = registry.host() + "/packed/app:v2";
        String err = packArgs(v2, concat(run, "--layer", jre.toString(), "--layer", app2.toString(), "--push"))[1];
        List<String> before = layers(v1);
        List<String> after = layers(v2);
        assertEquals(before.get(0), after.get(0), "the JRE layer keeps its digest");
        assertTrue(!before.get(1).equals(after.get(1)), "the application layer changed");
        assertTrue(err.contains(before.get(0) + " application/vnd.oci.image.layer.v1.tar+gzip exists"),
                "the registry already had the JRE layer: " + err);
    }

    /** The config's fields as the image-spec names them, and one diff_id and history entry per layer. */
    private static void assertRunConfig(tools.jackson.databind.JsonNode image) {
        var c = image.path("config");
        assertEquals("[\"/opt/jre/bin/java\",\"-jar\",\"/app/app.jar\"]", c.path("Entrypoint").toString());
        assertEquals("[\"serve\",\"fast\"]", c.path("Cmd").toString());
        assertEquals("[\"JAVA_HOME=/opt/jre\",\"PATH=/opt/jre/bin:/usr/bin:/bin\"]", c.path("Env").toString());
        assertEquals("/app", c.path("WorkingDir").asString());
        assertEquals("65532:65532", c.path("User").asString());
        assertEquals("{\"org.opencontainers.image.title\":\"app\",\"team\":\"storage\"}", c.path("Labels").toString());
        assertEquals("{\"53/udp\":{},\"8080/tcp\":{},\"9090/tcp\":{}}", c.path("ExposedPorts").toString());
        assertEquals(2, image.path("rootfs").path("diff_ids").size());
        assertEquals(2, image.path("history").size());
        assertEquals("2023-11-14T22:13:20Z", image.path("created").asString(), "SOURCE_DATE_EPOCH");
    }

    private static List<String> layers(String ref) throws Exception {
        var json = Json.parse(ok(Commands.run(Map.of(), List.of("skopeo", "inspect", "--tls-verify=false",
                "docker://" + ref))).out().getBytes(), "skopeo inspect");
        List<String> out = new java.util.ArrayList<>();
        json.path("Layers").forEach(l -> out.add(l.asString()));
        return out;
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
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
