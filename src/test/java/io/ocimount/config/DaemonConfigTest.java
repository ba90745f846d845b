package io.ocimount.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.image.CredentialVerification;
import io.ocimount.image.GcPolicy;
import io.ocimount.image.PinnedImages;
import io.ocimount.oci.Platform;
import io.ocimount.policy.audit.AuditSettings;
import io.ocimount.policy.ImageRule;
import io.ocimount.policy.PolicySettings;
import io.ocimount.registry.CredentialSettings;
import io.ocimount.unpack.LayerLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonConfigTest {
    @TempDir
    Path dir;

    /** The node's architecture as OCI names it, from the JVM's name for it. */
    private static String nodeArchitecture() {
        String jvm = System.getProperty("os.arch");
        return switch (jvm) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> throw new AssertionError("add the OCI name of os.arch " + jvm + " here");
        };
    }

    /** The defaults as systemd/config.toml and README document them, written out rather than asked of the code. */
    @Test
    void missingFileMeansDefaults() {
        DaemonConfig documented = new DaemonConfig(Path.of("/var/lib/ocimount"), Path.of("/run/ocimount"),
                Path.of("/run/ocimount/ocimount.sock"), Path.of("/etc/ocimount/certs.d"),
                Path.of("/root/.docker/config.json"), 30, new Platform("linux", nodeArchitecture(), ""), 3, 128,
                4_194_304, 8_388_608, 60, 3600, new LayerLimits(17_179_869_184L, 1_000_000, 4096, 65_536), null, "info",
                new CsiSettings(null, "image.ocimount.io", hostName(), Path.of("/var/lib/kubelet/plugins_registry")),
                new GcPolicy(85, 80, Duration.ZERO, Duration.ofSeconds(120), PinnedImages.NONE),
                CredentialVerification.NEVER_VERIFY_PRELOADED_IMAGES,
                new CredentialSettings(null, null, Duration.ofSeconds(60), null),
                new PolicySettings(null, List.of()), new AuditSettings(Path.of("/var/log/ocimount/audit.jsonl"), 16_777_216, 4));
        assertEquals(documented, DaemonConfig.load(dir.resolve("absent.toml")));
        assertEquals(documented, DaemonConfig.load(null));
    }

    /** The node name kubelet would use, asked of hostname(1) rather than of the code under test. */
    private static String hostName() {
        try {
            Process p = new ProcessBuilder("hostname").start();
            String name = new String(p.getInputStream().readAllBytes()).trim().toLowerCase(Locale.ROOT);
            assertEquals(0, p.waitFor());
            return name;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void csiIsOffUntilItsSocketIsSetAndReadsItsKeys() throws Exception {
        assertFalse(DaemonConfig.load(null).csi().enabled());
        Path f = dir.resolve("csi.toml");
        Files.writeString(f, "[csi]\nsocket = \"/var/lib/kubelet/plugins/image.ocimount.io/csi.sock\"\n"
                + "driver_name = \"images.example.com\"\nnode_id = \"node-7\"\nregistration_dir = \"/srv/reg\"\n");
        CsiSettings csi = DaemonConfig.load(f).csi();
        assertEquals(new CsiSettings(Path.of("/var/lib/kubelet/plugins/image.ocimount.io/csi.sock"), "images.example.com",
                "node-7", Path.of("/srv/reg")), csi);
        assertEquals(Path.of("/srv/reg/images.example.com-reg.sock"), csi.registrationSocket());
        assertEquals(Path.of("/x/csi.sock"), DaemonConfig.load(null).withCsiSocket(Path.of("/x/csi.sock")).csi().socket(),
                "--csi-socket turns it on");
    }

    @Test
    void aDriverNameCsiSanityWouldRefuseIsRefusedNamingTheKey() throws Exception {
        Path f = dir.resolve("bad-csi.toml");
        for (String bad : List.of("-image.ocimount.io", "image.ocimount.io-", "image_ocimount.io", "2image.ocimount.io",
                "image.ocimount.i0", "i" + "x".repeat(62) + "o")) {
            Files.writeString(f, "[csi]\ndriver_name = \"" + bad + "\"\n");
            DaemonConfig.ConfigException e = assertThrows(DaemonConfig.ConfigException.class, () -> DaemonConfig.load(f), bad);
            assertTrue(e.getMessage().contains("key \"csi.driver_name\""), e.getMessage());
        }
        for (String good : List.of("image.ocimount.io", "a", "images-2.example.com", "i" + "x".repeat(61) + "o")) {
            Files.writeString(f, "[csi]\ndriver_name = \"" + good + "\"\n");
            assertEquals(good, DaemonConfig.load(f).csi().driverName());
        }
    }

    @Test
    void credentialVerificationTakesKubeletsPolicyNames() throws Exception {
        Path f = dir.resolve("verify.toml");
        Files.writeString(f, "[pull]\ncredential_verification = \"AlwaysVerify\"\n");
        assertEquals(CredentialVerification.ALWAYS_VERIFY, DaemonConfig.load(f).pullSettings().credentialVerification());
        Files.writeString(f, "[pull]\ncredential_verification = \"alwaysverify\"\n");
        DaemonConfig.ConfigException e = assertThrows(DaemonConfig.ConfigException.class, () -> DaemonConfig.load(f));
        assertTrue(e.getMessage().contains("\"pull.credential_verification\"") && e.getMessage().contains("NeverVerifyPreloadedImages"),
                e.getMessage());
    }

    @Test
    void readsKeys() throws Exception {
        Path f = dir.resolve("c.toml");
        Files.writeString(f, "root = \"/srv/om\"\nplatform = \"linux/arm64\"\n[registry]\nconfig_path = \"/etc/x/certs.d\"\n"
                + "idle_connection_timeout_seconds = 7\n[pull]\nmax_concurrent_downloads = 5\n");
        DaemonConfig c = DaemonConfig.load(f);
        assertEquals(Path.of("/srv/om"), c.root());
        assertEquals("linux/arm64", c.platform().toString());
        assertEquals(Path.of("/etc/x/certs.d"), c.hostsDir());
        assertEquals(7, c.idleConnectionTimeoutSeconds());
        assertEquals(java.time.Duration.ofSeconds(7), c.registrySettings().idleConnectionTimeout());
        assertEquals(30, DaemonConfig.defaults().idleConnectionTimeoutSeconds());
        assertEquals(5, c.maxConcurrentDownloads());
    }

    @Test
    void credentialProviderKeysGoTogether() throws Exception {
        Path f = dir.resolve("c.toml");
        Files.writeString(f, "[registry]\ncredential_provider_config = \"/etc/kubernetes/credential-providers.yaml\"\n"
                + "credential_provider_bin_dir = \"/usr/libexec/kubernetes/credential-providers\"\n"
                + "credential_provider_timeout_seconds = 5\n");
        io.ocimount.registry.CredentialSettings c = DaemonConfig.load(f).registrySettings().credentials();
        assertEquals(Path.of("/etc/kubernetes/credential-providers.yaml"), c.providerConfig());
        assertEquals(Path.of("/usr/libexec/kubernetes/credential-providers"), c.providerBinDir());
        assertEquals(java.time.Duration.ofSeconds(5), c.execTimeout());
        assertTrue(c.pluginsEnabled());
        assertEquals(false, DaemonConfig.defaults().registrySettings().credentials().pluginsEnabled());
        Files.writeString(f, "[registry]\ncredential_provider_config = \"/etc/kubernetes/credential-providers.yaml\"\n");
        assertTrue(assertThrows(DaemonConfig.ConfigException.class, () -> DaemonConfig.load(f)).getMessage()
                .contains("\"registry.credential_provider_bin_dir\" must be set too"));
        Files.writeString(f, "[registry]\ncredential_provider_bin_dir = \"/x\"\n");
        assertTrue(assertThrows(DaemonConfig.ConfigException.class, () -> DaemonConfig.load(f)).getMessage()
                .contains("\"registry.credential_provider_config\" must be set too"));
    }

    @Test
    void badFilesNameTheKey() throws Exception {
        Path f = dir.resolve("c.toml");
        Files.writeString(f, "[registry]\nconfig_pth = \"/x\"\n");
        assertTrue(assertThrows(DaemonConfig.ConfigException.class, () -> DaemonConfig.load(f)).getMessage()
                .contains("unknown key \"registry.config_pth\""));
        Files.writeString(f, "[pull]\nmax_layers = \"many\"\n");
        assertTrue(assertThrows(DaemonConfig.ConfigException.class, () -> DaemonConfig.load(f)).getMessage()
                .contains("\"pull.max_layers\" must be a positive integer"));
        Files.writeString(f, "root = \"relative\"\n");
        assertTrue(assertThrows(DaemonConfig.ConfigException.class, () -> DaemonConfig.load(f)).getMessage()
                .contains("\"root\" must be an absolute path"));
        Files.writeString(f, "metrics_address = \"0.0.0.0:9469\"\n");
        assertTrue(assertThrows(DaemonConfig.ConfigException.class, () -> DaemonConfig.load(f)).getMessage()
                .contains("\"metrics_address\" must be 127.0.0.1:PORT"));
        Files.writeString(f, "[registry]\nidle_connection_timeout_seconds = 0\n");
        assertTrue(assertThrows(DaemonConfig.ConfigException.class, () -> DaemonConfig.load(f)).getMessage()
                .contains("\"registry.idle_connection_timeout_seconds\" must be a positive integer"));
        Files.writeString(f, "[unpack]\nmax_entries = 0\n");
        assertTrue(assertThrows(DaemonConfig.ConfigException.class, () -> DaemonConfig.load(f)).getMessage()
                .contains("\"unpack.max_entries\" must be a positive integer"));
    }

    @Test
    void unpackLimitsStallTimeoutAndMetricsAddressAreRead() throws Exception {
        Path f = dir.resolve("c.toml");
        Files.writeString(f, "metrics_address = \"127.0.0.1:9469\"\n[pull]\nstall_timeout_seconds = 5\n"
                + "[unpack]\nmax_layer_bytes = 1000\nmax_entries = 10\nmax_path_length = 100\nmax_xattr_bytes = 50\n");
        DaemonConfig c = DaemonConfig.load(f);
        assertEquals("127.0.0.1:9469", c.metricsAddress());
        assertEquals(5, c.stallTimeoutSeconds());
        assertEquals(new io.ocimount.unpack.LayerLimits(1000, 10, 100, 50), c.layerLimits());
    }

    @Test
    void gcKeysAreReadAndBadOnesNamed() throws Exception {
        Path f = dir.resolve("gc.toml");
        Files.writeString(f, "[gc]\nhigh_percent = 90\nlow_percent = 70\nmax_age_seconds = 86400\nmin_age_seconds = 0\n"
                + "pinned = [\"registry.example/app@sha256:" + "a".repeat(64) + "\", \"registry.example/agent:*\"]\n");
        GcPolicy gc = DaemonConfig.load(f).gc();
        assertEquals(90, gc.highPercent());
        assertEquals(70, gc.lowPercent());
        assertEquals(Duration.ofDays(1), gc.maxAge());
        assertEquals(Duration.ZERO, gc.minAge());
        assertEquals(List.of("registry.example/app@sha256:" + "a".repeat(64), "registry.example/agent:*"), gc.pinned().patterns());
        for (String[] bad : List.of(
                new String[] {"high_percent = 101", "\"gc.high_percent\" must be a percentage"},
                new String[] {"high_percent = 0", "\"gc.high_percent\" must be a percentage from 1"},
                new String[] {"high_percent = 70\nlow_percent = 80", "\"gc.low_percent\" (80) must not be above"},
                new String[] {"max_age_seconds = -1", "\"gc.max_age_seconds\" must be an integer of 0 or more"},
                new String[] {"min_age_seconds = \"2m\"", "\"gc.min_age_seconds\" must be an integer"},
                new String[] {"pinned = \"registry/app:*\"", "\"gc.pinned\" must be a list"},
                new String[] {"pinned = [\"registry/*/app:1\"]", "\"gc.pinned\" has a bad entry: pinned image \"registry/*/app:1\": a * may only end the tag"},
                new String[] {"pinned = [\"Bad Name\"]", "\"gc.pinned\" has a bad entry"},
                new String[] {"max_age = 60", "unknown key \"gc.max_age\""})) {
            Files.writeString(f, "[gc]\n" + bad[0] + "\n");
            DaemonConfig.ConfigException e = assertThrows(DaemonConfig.ConfigException.class, () -> DaemonConfig.load(f), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
        }
    }

    @Test
    void policyAndAuditKeysAreReadAndBadRulesNamed() throws Exception {
        Path f = dir.resolve("p.toml");
        Files.writeString(f, """
                [policy]
                json_path = "/etc/containers/policy.json"
                [[policy.rules]]
                scope = "registry.example/models"
                require_digest = true
                max_size_bytes = 1000
                allowed_artifact_types = ["application/vnd.example.model.v1"]
                [[policy.rules]]
                scope = "*.example"
                allowed_layer_media_types = ["application/vnd.oci.image.layer.v1.tar+gzip"]
                [audit]
                path = "/var/log/x/audit.jsonl"
                max_bytes = 4096
                keep = 0
                """);
        DaemonConfig c = DaemonConfig.load(f);
        assertEquals(new PolicySettings(Path.of("/etc/containers/policy.json"), List.of(
                new ImageRule("registry.example/models", true, 1000, List.of("application/vnd.example.model.v1"), List.of()),
                new ImageRule("*.example", false, 0, List.of(), List.of("application/vnd.oci.image.layer.v1.tar+gzip")))),
                c.policy());
        assertEquals(new AuditSettings(Path.of("/var/log/x/audit.jsonl"), 4096, 0), c.audit());

        String[][] bad = {
            {"[[policy.rules]]\nscope = \"r.example\"\nrequire_digets = true\n", "\"policy.rules[0].require_digets\" is not a rule key"},
            {"[[policy.rules]]\nscope = \"r.example\"\n", "\"policy.rules[0]\" sets no condition"},
            {"[[policy.rules]]\nrequire_digest = true\n", "\"policy.rules[0].scope\" is required"},
            {"[[policy.rules]]\nscope = \"r.example\"\nmax_size_bytes = -1\n", "\"policy.rules[0].max_size_bytes\" must be an integer"},
            {"[[policy.rules]]\nscope = \"r.example\"\nrequire_digest = \"yes\"\n", "\"policy.rules[0].require_digest\" must be true or false"},
            {"[[policy.rules]]\nscope = \"r.example\"\nrequire_digest = true\n[[policy.rules]]\nscope = \"r.example\"\n"
                    + "require_digest = true\n", "\"policy.rules[1].scope\" repeats scope"},
            {"[[policy.rules]]\nscope = \"https://r.example\"\nrequire_digest = true\n", "\"policy.rules[0].scope\""},
            {"[policy]\njson_path = \"policy.json\"\n", "\"policy.json_path\" must be an absolute path"},
            {"[audit]\npth = \"/x\"\n", "unknown key \"audit.pth\""},
            {"[audit]\nkeep = 101\n", "\"audit.keep\" must be at most 100"},
        };
        for (String[] b : bad) {
            Files.writeString(f, b[0]);
            String message = assertThrows(DaemonConfig.ConfigException.class, () -> DaemonConfig.load(f), b[0]).getMessage();
            assertTrue(message.contains(b[1]), message);
        }
    }

    /** The [gc] block of systemd/config.toml, every key uncommented, is read as the defaults it claims to show. */
    @Test
    void theInstalledGcBlockShowsTheDefaults() throws Exception {
        String installed = Files.readString(Path.of("systemd/config.toml"));
        String gc = installed.substring(installed.indexOf("[gc]"));
        StringBuilder uncommented = new StringBuilder();
        for (String line : gc.lines().toList()) {
            uncommented.append(line.startsWith("# ") ? line.substring(2) : line).append('\n');
        }
        Path f = dir.resolve("gc.toml");
        Files.writeString(f, uncommented.toString());
        assertEquals(DaemonConfig.defaults().gc(), DaemonConfig.load(f).gc(), uncommented.toString());
        assertTrue(uncommented.toString().contains("high_percent = 85"), "every key is there");
    }
}
