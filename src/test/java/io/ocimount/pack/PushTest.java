package io.ocimount.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Platform;
import io.ocimount.ref.Reference;
import io.ocimount.registry.Credentials;
import io.ocimount.registry.Pusher;
import io.ocimount.registry.RegistryClient;
import io.ocimount.registry.RegistrySettings;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.wiring.Wiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pushing against the in-process registry, with its faults: what lands, what is skipped, what is refused. */
class PushTest {
    @TempDir
    Path tmp;
    FakeRegistry registry;
    RegistryClient client = Wiring.registry(RegistrySettings.defaults().withBackoff(Duration.ofMillis(5)));
    Packed packed;

    @BeforeEach
    void setUp() throws Exception {
        registry = new FakeRegistry("127.0.0.1");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.write(src.resolve("data.bin"), new byte[200_000]);
        packed = Packer.pack(new Packer.Options(src, false, null,
                List.of(new Platform("linux", "amd64", ""), new Platform("linux", "arm64", "")), 0), tmp.resolve("o"), true);
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    private List<String> push(String repo, List<String> mountFrom) throws Exception {
        Pusher pusher = client.pusher(Reference.parse(registry.host() + "/" + repo + ":v1"), Credentials.NONE);
        return Packer.push(packed, pusher, "v1", mountFrom, Cancellation.none());
    }

    @Test
    void everyBlobAndManifestLandsAndASecondPushSendsNoBlobAgain() throws Exception {
        List<String> first = push("team/data", List.of());
        assertEquals(6, first.size(), first.toString()); // layer, 2 configs, 2 manifests, the index
        for (Descriptor b : packed.blobs()) {
            assertTrue(registry.hasBlob(b.digest()), b.toString());
        }
        assertArrayEquals(Files.readAllBytes(packed.dir().file(packed.top().digest())),
                registry.manifest("team/data", "v1").bytes(), "the index under the tag, byte for byte");
        for (Descriptor m : packed.manifests()) {
            assertTrue(registry.manifest("team/data", m.digest().toString()) != null);
        }
        assertTrue(push("team/data", List.of()).stream().filter(l -> !l.contains("manifest") && !l.contains("index"))
                .allMatch(l -> l.endsWith(" exists")));
    }

    @Test
    void blobsAreMountedFromAnotherRepository() throws Exception {
        push("team/a", List.of());
        List<String> lines = push("team/b", List.of("team/empty", "team/a"));
        assertTrue(lines.get(0).endsWith(" mounted"), lines.toString());
        assertTrue(registry.requests.stream().anyMatch(r -> r.startsWith("MOUNTED " + packed.blobs().get(0).digest()
                + " from team/a")));
        assertTrue(registry.requests.stream().anyMatch(r -> r.startsWith("CANCELLED ")),
                "the upload opened by the failed mount from team/empty is cancelled");
    }

    @Test
    void aDroppedUploadAndA503BurstAreRetried() throws Exception {
        registry.dropUploadOnce();
        registry.failNext(3, 503);
        push("team/data", List.of());
        assertTrue(registry.hasBlob(packed.blobs().get(0).digest()));
    }

    @Test
    void aRegistryThatKeepsFailingGivesAnErrorNamingBlobAndRepository() {
        registry.failNext(1000, 503);
        OciMountException e = assertThrows(OciMountException.class, () -> push("team/data", List.of()));
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().startsWith("push blob " + packed.blobs().get(0).digest() + " to " + registry.host()
                + "/team/data"), e.getMessage());
        assertTrue(e.getMessage().contains("RegistryUnavailable") || e.getMessage().contains("unavailable after"), e.getMessage());
    }

    @Test
    void aManifestTheRegistryStoresUnderAnotherDigestIsRefused() {
        registry.misreportManifestDigests();
        OciMountException e = assertThrows(OciMountException.class, () -> push("team/data", List.of()));
        assertEquals(ErrorKind.DATA_LOSS, e.kind());
        assertTrue(e.getMessage().contains("the registry stored it as"), e.getMessage());
    }
}
