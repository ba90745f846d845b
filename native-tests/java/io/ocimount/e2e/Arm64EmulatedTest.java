package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.ocimount.api.v1.MountVolumeRequest;
import io.ocimount.api.v1.MountVolumeResponse;
import io.ocimount.api.v1.UnmountVolumeRequest;
import io.ocimount.api.v1.VolumeServiceGrpc;
import io.ocimount.cli.DaemonChannel;
import io.ocimount.mount.MountInfo;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TarBuilder;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import runtime.v1.ImageSpec;
import runtime.v1.Mount;

/**
 * The shaded jar on Debian's arm64 JVM under qemu-aarch64-static (user-mode emulation, no binfmt): the daemon starts,
 * picks linux/arm64 from a multi-arch index because os.arch is aarch64, pulls, verifies and mounts a subPath
 * read-only, unmounts; and {@code pack} builds an arm64 image, byte for byte the one the host JVM builds for
 * linux/arm64. The JRE root and its launcher come from native-tests/arm64/prepare.sh (Debian's packages, cached in
 * /var/tmp/ocimount-arm64 or -Docimount.arm64.dir); the launcher runs the arm64 loader rather than {@code qemu -L},
 * which would send the daemon's walk from "/" into the JRE root. Slow (tens of seconds): one test. Runs after
 * `package`.
 */
@Tag("native")
@Tag("packaging")
class Arm64EmulatedTest {
    private static final Path JAR = Path.of("target/ocimount.jar").toAbsolutePath();
    private static final Map<String, String> EPOCH = Map.of("SOURCE_DATE_EPOCH", "1700000000");
    private static final long START_WAIT_MS = 240_000;

    @TempDir
    Path tmp;

    /** Runs prepare.sh; the test is skipped only when Debian's mirrors cannot be reached. Returns its launcher. */
    private static Path prepare() throws Exception {
        Path dir = Path.of(System.getProperty("ocimount.arm64.dir", "/var/tmp/ocimount-arm64"));
        Commands.Result r = Commands.run(Map.of("DEBIAN_FRONTEND", "noninteractive"),
                List.of("bash", "native-tests/arm64/prepare.sh", dir.toString()));
        if (r.rc() != 0) {
            String all = r.out() + r.err();
            boolean offline = all.contains("Could not resolve") || all.contains("Temporary failure resolving")
                    || all.contains("Failed to fetch") || all.contains("Could not connect")
                    || all.contains("Unable to connect") || all.contains("Network is unreachable");
            Assumptions.assumeFalse(offline, "Debian's mirrors cannot be reached, so there is no arm64 JRE: " + r.describe());
            throw new AssertionError("prepare.sh failed: " + r.describe());
        }
        return dir.resolve("java"); // qemu-aarch64-static running the arm64 loader on the JRE: see prepare.sh
    }

    private static List<String> emulated(Path java, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void daemonAndPackRunOnArm64UnderQemu() throws Exception {
        Path java = prepare();

        Commands.Result arch = Commands.run(Map.of(), List.of(java.toString(), "-XshowSettings:properties", "-version"));
        assertTrue(arch.err().contains("os.arch = aarch64"), arch.describe());

        try (RealRegistry registry = new RealRegistry(Files.createDirectories(tmp.resolve("reg")), null, null)) {
            ImageBuilder.Image amd = new ImageBuilder().layer(new TarBuilder().dir("data", 0755)
                    .file("data/arch", "amd64\n").build()).build();
            ImageBuilder.Image arm = new ImageBuilder().arch("arm64").layer(new TarBuilder().dir("data", 0755)
                    .file("data/arch", "arm64\n").file("data/only-on-arm", "yes").build()).build();
            registry.push("multi/app", null, amd);
            registry.push("multi/app", null, arm);
            Map<String, ImageBuilder.Image> both = new LinkedHashMap<>();
            both.put("linux/amd64", amd); // first, so a daemon that ignored the platform would take it
            both.put("linux/arm64", arm);
            registry.pushManifest("multi/app", "v1", ImageBuilder.index(both));
            String ref = registry.host() + "/multi/app:v1";

            Path dir = Files.createDirectories(tmp.resolve("d"));
            DaemonProcess.auditBeside(dir);
            Path log = dir.resolve("daemon.log");
            long t0 = System.nanoTime();
            Process daemon = new ProcessBuilder(emulated(java, "daemon", "--root", dir.resolve("root").toString(),
                    "--state-dir", dir.resolve("run").toString(), "--config", dir.resolve("config.toml").toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                            Path.of("/dev/null").toFile())).start();
            ManagedChannel channel = null;
            try {
                while (!Files.readString(log).contains("serving on")) {
                    if (!daemon.isAlive() || System.nanoTime() - t0 > START_WAIT_MS * 1_000_000) {
                        throw new AssertionError("the emulated daemon did not start within " + START_WAIT_MS / 1000
                                + " s (alive=" + daemon.isAlive() + "); its log:\n" + Files.readString(log));
                    }
                    Thread.sleep(100);
                }
                System.out.printf("Arm64EmulatedTest: daemon serving after %.1f s under qemu%n", (System.nanoTime() - t0) / 1e9);
                assertTrue(Files.readString(log).contains("platform=linux/arm64"), Files.readString(log));

                channel = DaemonChannel.open(DaemonProcess.socket(dir));
                var volumes = VolumeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.MINUTES);
                Path target = dir.resolve("targets/data");
                long m0 = System.nanoTime();
                MountVolumeResponse r = volumes.mountVolume(request("arm", target, ref, "data"));
                System.out.printf("Arm64EmulatedTest: pull and mount took %.1f s%n", (System.nanoTime() - m0) / 1e9);
                assertEquals(arm.manifest().digest().toString(), r.getManifestDigest(), "linux/arm64 picked from the index");
                assertEquals(arm.config().digest().toString(), r.getImageRef());
                assertEquals("arm64\n", Files.readString(target.resolve("arch")));
                assertEquals("yes", Files.readString(target.resolve("only-on-arm")));
                MountInfo.Entry e = MountInfo.at(MountInfo.read(), target);
                assertTrue(e != null && List.of(e.options().split(",")).contains("ro"), "a read-only mount: " + e);
                FileSystemException w = assertThrows(FileSystemException.class,
                        () -> Files.writeString(target.resolve("new"), "x"));
                assertTrue(String.valueOf(w.getReason()).contains("Read-only file system"), "EROFS: " + w);
                FileSystemException over = assertThrows(FileSystemException.class,
                        () -> Files.writeString(target.resolve("arch"), "x"));
                assertTrue(String.valueOf(over.getReason()).contains("Read-only file system"), "EROFS: " + over);

                volumes.unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId("arm").build());
                assertNull(MountInfo.at(MountInfo.read(), target), "unmounted");

                // pack on the emulated JVM: the node's platform is linux/arm64, and the image is the one the host
                // JVM builds when asked for linux/arm64 (reproducible across architectures)
                Path src = Files.createDirectories(tmp.resolve("src/conf"));
                Files.writeString(src.resolve("app.yaml"), "threads: 4\n");
                Files.writeString(tmp.resolve("src/readme"), "packed on arm64\n");
                String tag = registry.host() + "/packed/arm:v1";
                long p0 = System.nanoTime();
                Commands.Result packed = Commands.run(EPOCH, emulated(java, "pack", tmp.resolve("src").toString(),
                        "--tag", tag, "--push", "--config", dir.resolve("absent.toml").toString()));
                System.out.printf("Arm64EmulatedTest: pack took %.1f s under qemu%n", (System.nanoTime() - p0) / 1e9);
                assertEquals(0, packed.rc(), packed.describe());
                String digest = packed.out().strip().split("\n")[0];
                Commands.Result host = Commands.run(EPOCH, List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-jar", JAR.toString(), "pack", tmp.resolve("src").toString(), "--tag", tag,
                        "--platform", "linux/arm64", "--config", dir.resolve("absent.toml").toString()));
                assertEquals(0, host.rc(), host.describe());
                assertEquals(digest, host.out().strip().split("\n")[0], "the same image as the host JVM's linux/arm64 one");

                Path packedTarget = dir.resolve("targets/packed");
                volumes.mountVolume(request("packed", packedTarget, tag + "@" + digest, ""));
                assertEquals("packed on arm64\n", Files.readString(packedTarget.resolve("readme")));
                assertEquals("threads: 4\n", Files.readString(packedTarget.resolve("conf/app.yaml")));
                volumes.unmountVolume(UnmountVolumeRequest.newBuilder().setVolumeId("packed").build());
                assertNull(MountInfo.at(MountInfo.read(), packedTarget), "unmounted");
            } catch (AssertionError | RuntimeException failure) {
                throw new AssertionError(failure.getMessage() + "\ndaemon log:\n" + Files.readString(log), failure);
            } finally {
                if (channel != null) {
                    channel.shutdownNow();
                }
                daemon.destroy(); // SIGTERM: qemu passes it to the guest JVM, whose shutdown hook stops the daemon
                if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                }
            }
            assertTrue(Files.readString(log).contains("stopped"), Files.readString(log));
        }
    }

    private static MountVolumeRequest request(String id, Path target, String image, String subPath) {
        return MountVolumeRequest.newBuilder().setVolumeId(id).setTargetPath(target.toString())
                .setMount(Mount.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).setImageSubPath(subPath)
                        .setReadonly(true))
                .setPodNamespace("default").setPodName("arm").setPodUid("5678").build();
    }
}
