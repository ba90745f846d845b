package io.ocimount.e2e;

import io.ocimount.policy.audit.Requester;
import io.ocimount.testkit.TestImages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.image.ImageRecord;
import io.ocimount.image.ImageService;
import io.ocimount.registry.Credentials;
import io.ocimount.registry.RegistrySettings;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.wiring.Wiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real docker-registry serving https with a self-signed certificate on 127.0.0.1: TLS is verified by default,
 * and hosts.toml's {@code ca} and {@code skip_verify} are what make such a registry usable.
 */
@Tag("native")
class TlsRegistryTest {
    @TempDir
    static Path tmp;
    static RealRegistry registry;
    static ImageBuilder.Image image = new ImageBuilder().layer(Map.of("tls.txt", "over https")).build();

    @BeforeAll
    static void start() throws Exception {
        registry = new RealRegistry(Files.createDirectories(tmp.resolve("reg")), null, null, true);
        registry.push("tls/img", "v1", image);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private ImageRecord pullWith(String name, String hostsToml) throws Exception {
        Path certsD = tmp.resolve(name + "/certs.d");
        Files.createDirectories(certsD.resolve(registry.host()));
        Files.writeString(certsD.resolve(registry.host()).resolve("hosts.toml"), hostsToml);
        RegistrySettings d = RegistrySettings.defaults();
        RegistrySettings s = new RegistrySettings(certsD, null, 2, java.time.Duration.ofMillis(5), d.requestTimeout(),
                d.maxManifestBytes(), d.maxConfigBytes(), d.idleConnectionTimeout(), d.credentials());
        try (ImageService images = TestImages.create(tmp.resolve(name + "/root"), Wiring.registry(s), TestImages.amd64())) {
            return images.pull(registry.host() + "/tls/img:v1", Requester.CLI, Credentials.NONE, Cancellation.none());
        }
    }

    @Test
    void selfSignedCertificateIsRefusedWithoutCa() {
        OciMountException e = assertThrows(OciMountException.class,
                () -> pullWith("noca", "server = \"https://" + registry.host() + "\"\n"));
        assertEquals(ErrorKind.UNAVAILABLE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(registry.host()), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains("certificat") || e.getMessage().contains("PKIX"), e.getMessage());
    }

    @Test
    void caFromHostsTomlVerifiesTheRegistry() throws Exception {
        ImageRecord r = pullWith("ca", "server = \"https://" + registry.host() + "\"\n[host.\"https://" + registry.host()
                + "\"]\n  capabilities = [\"pull\", \"resolve\"]\n  ca = \"" + registry.certificate() + "\"\n");
        assertEquals(image.config().digest(), r.id());
    }

    @Test
    void skipVerifyAcceptsTheRegistry() throws Exception {
        ImageRecord r = pullWith("skip", "server = \"https://" + registry.host() + "\"\n[host.\"https://" + registry.host()
                + "\"]\n  capabilities = [\"pull\", \"resolve\"]\n  skip_verify = true\n");
        assertEquals(image.config().digest(), r.id());
    }
}
