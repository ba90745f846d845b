package io.ocimount.image;

import io.ocimount.policy.audit.Requester;
import io.ocimount.testkit.TestImages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.oci.Digest;
import io.ocimount.registry.Credentials;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.ImageBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent oracle: the read-only overlay of ocimount's snapshots of an image with whiteouts, an opaque
 * directory, links and nodes must hold the same tree, types, modes, owners, link targets, device numbers and
 * file contents as {@code umoci unpack} of the same image.
 */
@Tag("native")
class UmociOracleTest {
    @TempDir
    Path work;

    @Test
    void overlayOfSnapshotsMatchesUmociUnpack() throws Exception {
        ImageBuilder.Image img = UnpackTest.sample(false);
        Path layout = writeLayout(img, work.resolve("layout"));
        run("umoci", "unpack", "--image", layout + ":t", work.resolve("bundle").toString());

        Path store = work.resolve("store");
        List<Path> snapshots;
        try (FakeRegistry registry = new FakeRegistry("127.0.0.1");
             ImageService images = TestImages.create(store)) {
            registry.addImage("oracle/img", "t", img);
            ImageRecord r = images.pull(registry.host() + "/oracle/img:t", Requester.CLI, Credentials.NONE, Cancellation.none());
            snapshots = r.chainIds().stream().map(c -> HostileLayerTest.snapshotPath(store, c)).toList();
        }
        List<String> lowers = new ArrayList<>();
        snapshots.forEach(p -> lowers.add(p.toString()));
        Collections.reverse(lowers); // overlay lists the top layer first
        Path mnt = Files.createDirectories(work.resolve("mnt"));
        run("mount", "-t", "overlay", "overlay", "-o", "ro,lowerdir=" + String.join(":", lowers), mnt.toString());
        try {
            Map<String, String> ours = describe(mnt);
            Map<String, String> theirs = describe(work.resolve("bundle/rootfs"));
            assertTrue(ours.size() > 20, "the image has a real tree: " + ours.keySet());
            assertEquals(theirs, ours);
        } finally {
            run("umount", mnt.toString());
        }
    }

    /** Every path under {@code dir} with what a reader of the image sees there. */
    static Map<String, String> describe(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                String rel = dir.relativize(p).toString();
                if (rel.isEmpty()) {
                    continue; // the root directory is the mount point or umoci's own
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                String what = String.format("%06o uid=%s gid=%s", mode, a.get("uid"), a.get("gid"));
                if (Files.isSymbolicLink(p)) {
                    what += " -> " + Files.readSymbolicLink(p);
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    what += " sha256=" + Digest.of(Files.readAllBytes(p)).shortHex();
                } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    what += " rdev=" + a.get("rdev");
                }
                out.put(rel, what);
            }
        }
        return out;
    }

    /** An OCI image layout with the image tagged "t", for umoci. */
    static Path writeLayout(ImageBuilder.Image img, Path dir) throws IOException {
        Path blobs = Files.createDirectories(dir.resolve("blobs/sha256"));
        for (Map.Entry<Digest, byte[]> b : img.blobs().entrySet()) {
            Files.write(blobs.resolve(b.getKey().hex()), b.getValue());
        }
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
                + img.manifest().mediaType() + "\",\"digest\":\"" + img.manifest().digest() + "\",\"size\":"
                + img.manifest().bytes().length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"t\"}}]}");
        return dir;
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        assertEquals(0, rc, String.join(" ", cmd) + " failed: " + out);
    }
}
