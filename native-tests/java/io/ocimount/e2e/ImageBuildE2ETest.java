package io.ocimount.e2e;

import static io.ocimount.e2e.Commands.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.ocimount.cli.DaemonChannel;
import io.ocimount.oci.ChainIds;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Json;
import io.ocimount.oci.Platform;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.RuntimeServiceGrpc;
import runtime.v1.VersionRequest;
import tools.jackson.databind.JsonNode;

/**
 * scripts/build-image.sh end to end: the ocimount image, built twice from the same jar and Debian packages (pushed to
 * the real registry, then written as an OCI layout), has one digest; it is an index of linux/amd64 and linux/arm64
 * whose runtime layers differ per architecture and whose other layers are shared, each config listing its own layers'
 * diff_ids; containerd pulls and unpacks it for both architectures, and runc runs it: the JRE holds every module
 * jdeps finds in the jar, the trust store holds Debian's CAs, and the daemon started by the image's own Entrypoint
 * and Cmd answers CRI Version on a socket the host sees, its store in the host's bind-mounted directory. Slow (two
 * builds of about a minute each, Debian's packages cached in /var/tmp/ocimount-arm64 with the arm64 test's). Runs
 * after `package`.
 */
@Tag("native")
@Tag("packaging")
class ImageBuildE2ETest {
    private static final Path JAR = Path.of("target/ocimount.jar").toAbsolutePath();
    private static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1700000000",
            "DEBIAN_FRONTEND", "noninteractive");
    private static final String CACHE = System.getProperty("ocimount.arm64.dir", "/var/tmp/ocimount-arm64");
    /** The architecture ctr pulls and runs here, as the image names it (os.arch normalized: x86_64 → amd64). */
    private static final String HOST_ARCH = Platform.host().architecture();

    @TempDir
    Path tmp;

    private static Commands.Result buildImage(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "scripts/build-image.sh", "--jar", JAR.toString(),
                "--cache", CACHE));
        cmd.addAll(List.of(args));
        return ok(Commands.run(ENV, cmd, 900));
    }

    /** The digest line of build-image.sh's output (then REF@digest). */
    private static String digest(Commands.Result r) {
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.describe());
        assertTrue(lines[1].endsWith("@" + lines[0]), r.describe());
        return lines[0];
    }

    @Test
    void theImageBuildsReproduciblyAndContainerdPullsAndRunsIt() throws Exception {
        try (RealRegistry registry = new RealRegistry(Files.createDirectories(tmp.resolve("reg")), null, null)) {
            String ref = registry.host() + "/ocimount/ocimount:test";
            String pushed = digest(buildImage("--tag", ref, "--push"));
            Path layout = tmp.resolve("layout");
            String written = digest(buildImage("--tag", ref, "--oci-layout", layout.toString()));
            assertEquals(pushed, written, "the same jar and packages, the same digest");

            JsonNode index = blob(layout, pushed);
            assertEquals("application/vnd.oci.image.index.v1+json", index.path("mediaType").asString());
            List<String> platforms = new ArrayList<>();
            List<JsonNode> manifests = new ArrayList<>();
            for (JsonNode d : index.path("manifests")) {
                platforms.add(d.path("platform").path("os").asString() + "/" + d.path("platform").path("architecture").asString());
                manifests.add(blob(layout, d.path("digest").asString()));
            }
            assertEquals(List.of("linux/amd64", "linux/arm64"), platforms);
            JsonNode amd = manifests.get(0).path("layers");
            JsonNode arm = manifests.get(1).path("layers");
            assertEquals(3, amd.size(), "the JRE, /etc, the jar");
            assertNotEquals(amd.get(0).path("digest"), arm.get(0).path("digest"), "a JRE per architecture");
            assertEquals(amd.get(1), arm.get(1), "one /etc layer");
            assertEquals(amd.get(2), arm.get(2), "one jar layer");
            JsonNode config = blob(layout, manifests.get(0).path("config").path("digest").asString()).path("config");
            assertEquals(unitJvm(), strings(config.path("Entrypoint")), "java with the unit's flags");
            assertEquals(List.of("daemon"), strings(config.path("Cmd")));
            assertTrue(config.path("Labels").path("io.ocimount.image.ca-certificates").asString().matches("\\d{8}.*"),
                    "the CA bundle's Debian version: " + config.path("Labels"));
            for (int i = 0; i < manifests.size(); i++) {
                assertEquals(uncompressedDigests(layout, manifests.get(i).path("layers")), diffIds(layout, manifests.get(i)),
                        "the config's diff_ids are its layers' " + platforms.get(i));
            }

            try (Containerd ctd = new Containerd(Files.createDirectories(tmp.resolve("ctd")))) {
                ok(ctd.ctr("images", "pull", "--plain-http", ref + "@" + pushed));
                String image = ref + "@" + pushed;
                // the other architecture's image as a runtime sees it: containerd checks each layer it unpacks
                // against the config's diff_id and commits the snapshot only when they match
                String other = HOST_ARCH.equals("amd64") ? "arm64" : "amd64";
                Commands.Result foreign = ok(ctd.ctr("images", "pull", "--plain-http", "--platform", "linux/" + other,
                        image));
                assertTrue(foreign.out().contains("unpacking linux/" + other), foreign.describe());
                List<Digest> chain = ChainIds.of(diffIds(layout, manifests.get(platforms.indexOf("linux/" + other)))
                        .stream().map(Digest::parse).toList());
                String chainId = chain.get(chain.size() - 1).toString();
                assertTrue(ok(ctd.ctr("snapshots", "ls")).out().contains(chainId), "the " + other
                        + " layers unpacked to their chain " + chainId);
                runsEmulated(ctd, image, other, strings(blob(layout, manifests.get(platforms.indexOf("linux/" + other))
                        .path("config").path("digest").asString()).path("config").path("Entrypoint")));

                Set<String> modules = new TreeSet<>();
                for (String line : ok(ctd.ctr("run", "--rm", image, "modules", "/usr/bin/java", "--list-modules"))
                        .out().split("\n")) {
                    modules.add(line.strip().replaceAll("@.*", ""));
                }
                Set<String> needed = new TreeSet<>(Arrays.asList(ok(Commands.run(Map.of(), List.of("jdeps",
                        "--multi-release", "17", "--print-module-deps", "--ignore-missing-deps", JAR.toString())))
                        .out().strip().split(",")));
                needed.add("jdk.crypto.ec"); // service-loaded for TLS: jdeps cannot see it
                assertTrue(modules.containsAll(needed), "the image's JRE lacks " + minus(needed, modules));

                String keytool = ok(ctd.ctr("run", "--rm", image, "cacerts",
                        "/usr/lib/jvm/java-17-openjdk-" + HOST_ARCH + "/bin/keytool", "-list", "-cacerts", "-storepass", "changeit")).out();
                Matcher entries = Pattern.compile("contains (\\d+) entries").matcher(keytool);
                assertTrue(entries.find() && Integer.parseInt(entries.group(1)) > 100, "Debian's CAs: " + keytool);

                Path store = Files.createDirectories(tmp.resolve("store/tmp")).getParent();
                Path run = Files.createDirectories(tmp.resolve("run"));
                // closed before containerd is: the task killed, gone from `ctr task ls`, and the container deleted
                try (AutoCloseable daemon = () -> ctd.remove("daemon")) {
                    ok(ctd.ctr("run", "-d", "--privileged",
                            "--mount", "type=bind,src=" + store + ",dst=/var/lib/ocimount,options=rbind:rw",
                            "--mount", "type=bind,src=" + run + ",dst=/run/ocimount,options=rbind:rw", image, "daemon"));
                    Path socket = run.resolve("ocimount.sock");
                    long deadline = System.currentTimeMillis() + 60_000;
                    while (!Files.exists(socket)) {
                        assertTrue(System.currentTimeMillis() < deadline, "no socket after 60 s: "
                                + ctd.ctr("task", "ls").describe());
                        Thread.sleep(100);
                    }
                    answersVersion(socket);
                    ok(Commands.ocimount(Map.of(), "--socket", socket.toString(), "version"));
                    // what the daemon makes in its root at start (its lock, the content store) is in the host's
                    // directory: the image's default root is the bind mount, not a directory of the container's own
                    List<String> names;
                    try (Stream<Path> listed = Files.list(store)) {
                        names = listed.map(f -> f.getFileName().toString()).sorted().toList();
                    }
                    assertTrue(Files.isRegularFile(store.resolve("ocimount.lock"))
                            && Files.isDirectory(store.resolve("content/blobs/sha256")), "the host's store holds " + names);
                }
            }
        }
    }

    @Test
    void withoutAnOutputOrAKnownPlatformItStopsBeforeBuildingAnything() throws Exception {
        Commands.Result noOutput = Commands.run(ENV, List.of("bash", "scripts/build-image.sh", "--tag", "x/y:z"));
        assertEquals(2, noOutput.rc(), noOutput.describe());
        assertTrue(noOutput.err().contains("--tag REF (--push | --oci-layout DIR)"), noOutput.describe());
        Path cache = tmp.resolve("cache");
        Commands.Result s390x = Commands.run(ENV, List.of("bash", "scripts/build-image.sh", "--tag", "x/y:z",
                "--oci-layout", tmp.resolve("l").toString(), "--platform", "linux/s390x", "--jar", JAR.toString(),
                "--cache", cache.toString()));
        assertEquals(2, s390x.rc(), s390x.describe());
        assertTrue(s390x.err().contains("linux/s390x: only linux/amd64 and linux/arm64 are built"), s390x.describe());
        assertFalse(Files.exists(cache), "refused before any Debian package was fetched into --cache");
    }

    /**
     * The other architecture's image, as containerd unpacked it, run under qemu-user in a chroot of it (no binfmt
     * needed: qemu is called, and it runs the image's own loader and libraries): its Entrypoint starts the daemon,
     * which serves CRI Version on a socket the host sees and says it runs on that platform.
     */
    private void runsEmulated(Containerd ctd, String image, String arch, List<String> entrypoint) throws Exception {
        String qemu = "qemu-" + (arch.equals("arm64") ? "aarch64" : "x86_64") + "-static";
        Path view = Files.createDirectories(tmp.resolve(arch + "-view"));
        ok(ctd.ctr("images", "mount", "--platform", "linux/" + arch, image, view.toString()));
        Path work = tmp.resolve(arch + "-run");
        Path run = Files.createDirectories(work.resolve("state"));
        for (String d : List.of("upper/proc", "upper/run/ocimount", "upper/var/lib/ocimount", "work", "merged")) {
            Files.createDirectories(work.resolve(d));
        }
        Files.copy(Path.of(ok(Commands.run(Map.of(), List.of("sh", "-c", "command -v " + qemu))).out().strip()),
                work.resolve("upper/qemu"));
        Path log = work.resolve("daemon.log");
        // the view is read-only: an overlay adds qemu and the mount points; the store is a private tmpfs
        String script = "mount -t overlay overlay -o \"lowerdir=$1,upperdir=$2/upper,workdir=$2/work\" \"$2/merged\"\n"
                + "mount -t proc proc \"$2/merged/proc\"\n"
                + "mount --bind \"$3\" \"$2/merged/run/ocimount\"\n"
                + "mount -t tmpfs -o mode=0700 tmpfs \"$2/merged/var/lib/ocimount\"\n"
                + "mkdir \"$2/merged/var/lib/ocimount/tmp\"\n"
                + "shift 3\nexec chroot \"$0\" /qemu \"$@\" daemon\n";
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "bash", "-euc", script,
                work.resolve("merged").toString(), view.toString(), work.toString(), run.toString()));
        cmd.addAll(entrypoint);
        long t0 = System.nanoTime();
        Process daemon = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Path socket = run.resolve("ocimount.sock");
            long deadline = System.currentTimeMillis() + 240_000;
            while (!Files.exists(socket)) {
                assertTrue(daemon.isAlive() && System.currentTimeMillis() < deadline,
                        "the emulated " + arch + " daemon did not serve: " + Files.readString(log));
                Thread.sleep(200);
            }
            answersVersion(socket);
            assertTrue(Files.readString(log).contains("platform=linux/" + arch), Files.readString(log));
            System.out.printf("ImageBuildE2ETest: the %s image's daemon answered Version %.1f s after its start under "
                    + "qemu%n", arch, (System.nanoTime() - t0) / 1e9);
        } finally {
            daemon.destroyForcibly();
            daemon.waitFor(30, TimeUnit.SECONDS);
            ctd.ctr("images", "unmount", view.toString());
        }
    }

    /** CRI RuntimeService.Version over the daemon's socket names ocimount (an emulated daemon may be slow). */
    private static void answersVersion(Path socket) throws InterruptedException {
        ManagedChannel channel = DaemonChannel.open(socket);
        try {
            var v = RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .version(VersionRequest.newBuilder().setVersion("0.1.0").build());
            assertEquals("ocimount", v.getRuntimeName());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** The unit's ExecStart up to the jar, without its AppCDS flags (the image has no archive by default). */
    private static List<String> unitJvm() throws Exception {
        String execStart = Files.readAllLines(Path.of("systemd/ocimount.service")).stream()
                .filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring("ExecStart=".length());
        List<String> words = new ArrayList<>(Arrays.asList(execStart.split(" ")));
        words = words.subList(0, words.indexOf("/usr/lib/ocimount/ocimount.jar") + 1);
        return words.stream().filter(w -> !w.startsWith("-XX:SharedArchiveFile=") && !w.equals("-Xshare:auto")).toList();
    }

    /** The sha256 of each layer blob gunzipped, in the manifest's order. */
    private static List<String> uncompressedDigests(Path layout, JsonNode layers) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode layer : layers) {
            String hex = layer.path("digest").asString().substring("sha256:".length());
            try (InputStream in = new GZIPInputStream(Files.newInputStream(layout.resolve("blobs/sha256").resolve(hex)))) {
                MessageDigest sha = Digest.newSha256();
                in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), sha));
                out.add(Digest.fromRaw(sha.digest()).toString());
            }
        }
        return out;
    }

    private static List<String> diffIds(Path layout, JsonNode manifest) throws Exception {
        return strings(blob(layout, manifest.path("config").path("digest").asString()).path("rootfs").path("diff_ids"));
    }

    private static JsonNode blob(Path layout, String digest) throws Exception {
        return Json.parse(Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()))),
                digest);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
