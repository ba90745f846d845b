package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.policy.audit.Requester;
import io.ocimount.config.DaemonConfig;
import io.ocimount.daemon.Daemon;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.image.ImageService;
import io.ocimount.registry.CredentialSettings;
import io.ocimount.registry.Credentials;
import io.ocimount.registry.RegistrySettings;
import io.ocimount.registry.CredentialProviderPlugin;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.testkit.TestImages;
import io.ocimount.wiring.Wiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials as a node finds them, against Debian's docker-registry behind htpasswd: a kubelet credential provider
 * plugin written as a shell script (matching, caching by each cacheKeyType counted by the lines it appends to a
 * file, a hanging one killed at a short timeout, bad output), a docker credHelper script after it, the caller's
 * credentials before both, and a bad provider config stopping the daemon at start.
 */
@Tag("native")
class CredentialProvidersE2ETest {
    static final String USER = "kube";
    static final String PASSWORD = "pl4gin-s3cret";
    static final String V1 = "credentialprovider.kubelet.k8s.io/v1";
    @TempDir
    static Path shared;
    static RealRegistry registry;
    @TempDir
    Path tmp;
    Path bin;
    Path helpers;
    final List<String> log = new ArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            log.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws Exception {
        registry = new RealRegistry(Files.createDirectories(shared.resolve("reg")), USER, PASSWORD);
        for (String repo : List.of("team/one", "team/two", "other/three")) {
            registry.push(repo, "v1", new ImageBuilder().layer(Map.of(repo.replace('/', '-') + ".txt", repo)).build());
        }
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @BeforeEach
    void dirs() throws Exception {
        bin = Files.createDirectories(tmp.resolve("bin"));
        helpers = Files.createDirectories(tmp.resolve("helpers"));
        Logger.getLogger("io.ocimount.registry").addHandler(capture);
    }

    @AfterEach
    void unhook() {
        Logger.getLogger("io.ocimount.registry").removeHandler(capture);
    }

    private static void executable(Path p, String body) throws Exception {
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A plugin that appends the image it was asked about to runs-NAME and prints a response with these fields. */
    private void plugin(String name, String keyType, String user, String password) throws Exception {
        executable(bin.resolve(name), "request=$(tr -d '\\n ')\necho \"$request\" >> \"" + tmp.resolve("runs-" + name) + "\"\n"
                + "printf '%s' '{\"apiVersion\":\"" + V1 + "\",\"kind\":\"CredentialProviderResponse\",\"cacheKeyType\":\""
                + keyType + "\",\"auth\":{\"" + registry.host() + "\":{\"username\":\"" + user + "\",\"password\":\""
                + password + "\"}}}'\n");
    }

    private List<String> runs(String name) throws Exception {
        Path f = tmp.resolve("runs-" + name);
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    private Path config(String name, String matchImage, String defaultCache) throws Exception {
        return Files.writeString(tmp.resolve("providers.yaml"), "apiVersion: kubelet.config.k8s.io/v1\n"
                + "kind: CredentialProviderConfig\nproviders:\n  - name: " + name + "\n    matchImages: [\"" + matchImage
                + "\"]\n    defaultCacheDuration: " + defaultCache + "\n    apiVersion: " + V1 + "\n");
    }

    private ImageService images(Path providerConfig, Duration timeout, Path dockerConfig) {
        RegistrySettings s = RegistrySettings.defaults().withBackoff(Duration.ofMillis(5)).withDockerConfig(dockerConfig)
                .withCredentials(new CredentialSettings(providerConfig, providerConfig == null ? null : bin, timeout,
                        List.of(helpers)));
        return TestImages.create(tmp.resolve("root"), Wiring.registry(s), TestImages.amd64());
    }

    private static void pull(ImageService images, String repo, Credentials creds) {
        images.pull(registry.host() + "/" + repo + ":v1", Requester.CLI, creds, Cancellation.none());
    }

    private static void assertUnauthorized(ImageService images, String repo) {
        OciMountException e = assertThrows(OciMountException.class, () -> pull(images, repo, Credentials.NONE));
        assertTrue(e.getMessage().contains("401"), e.getMessage());
    }

    private void assertNoSecretLogged() {
        assertFalse(String.join("\n", log).contains(PASSWORD), log.toString());
    }

    @Test
    void withoutCredentialsTheRegistryRefuses() throws Exception {
        try (ImageService images = images(null, Duration.ofSeconds(60), null)) {
            assertUnauthorized(images, "team/one");
        }
    }

    @Test
    void registryKeyTypeRunsThePluginOncePerRegistry() throws Exception {
        plugin("regplugin", "Registry", USER, PASSWORD);
        try (ImageService images = images(config("regplugin", registry.host(), "1h"), Duration.ofSeconds(60), null)) {
            pull(images, "team/one", Credentials.NONE);
            pull(images, "team/two", Credentials.NONE);
            pull(images, "other/three", Credentials.NONE);
        }
        List<String> runs = runs("regplugin");
        assertEquals(1, runs.size(), runs.toString());
        assertTrue(runs.get(0).contains("\"image\":\"" + registry.host() + "/team/one\"")
                && runs.get(0).contains("\"kind\":\"CredentialProviderRequest\""), runs.get(0));
        assertNoSecretLogged();
    }

    @Test
    void imageKeyTypeRunsThePluginOncePerImage() throws Exception {
        plugin("imgplugin", "Image", USER, PASSWORD);
        try (ImageService images = images(config("imgplugin", registry.host() + "/team", "1h"), Duration.ofSeconds(60), null)) {
            pull(images, "team/one", Credentials.NONE);
            pull(images, "team/one", Credentials.NONE);
            pull(images, "team/two", Credentials.NONE);
            assertUnauthorized(images, "other/three"); // the path prefix /team does not match: the plugin is not run
        }
        assertEquals(2, runs("imgplugin").size(), runs("imgplugin").toString());
    }

    @Test
    void globalKeyTypeRunsThePluginOnceAndNoCacheRunsItEveryTime() throws Exception {
        plugin("globalplugin", "Global", USER, PASSWORD);
        try (ImageService images = images(config("globalplugin", "127.0.0.*:" + registry.port, "1h"), Duration.ofSeconds(60), null)) {
            pull(images, "team/one", Credentials.NONE);
            pull(images, "other/three", Credentials.NONE);
        }
        assertEquals(1, runs("globalplugin").size());
        plugin("nocache", "Global", USER, PASSWORD);
        try (ImageService images = images(config("nocache", registry.host(), "0s"), Duration.ofSeconds(60), null)) {
            pull(images, "team/one", Credentials.NONE);
            pull(images, "team/two", Credentials.NONE);
        }
        assertEquals(2, runs("nocache").size());
    }

    @Test
    void aPluginForAnotherPortIsNotRun() throws Exception {
        plugin("elsewhere", "Global", USER, PASSWORD);
        try (ImageService images = images(config("elsewhere", "127.0.0.1:1", "1h"), Duration.ofSeconds(60), null)) {
            assertUnauthorized(images, "team/one");
        }
        assertEquals(List.of(), runs("elsewhere"));
    }

    @Test
    void theCallersCredentialsComeFirst() throws Exception {
        plugin("wrong", "Global", USER, "not-the-password");
        try (ImageService images = images(config("wrong", registry.host(), "1h"), Duration.ofSeconds(60), null)) {
            pull(images, "team/one", new Credentials(registry.host(), USER, PASSWORD, "", ""));
            assertEquals(List.of(), runs("wrong"), "the plugin is not asked when the caller's credentials apply");
            assertUnauthorized(images, "team/two"); // without the caller's, the plugin's wrong ones are used
        }
        assertEquals(1, runs("wrong").size());
    }

    /** A credHelper for the registry in config.json that answers with the right credentials. */
    private Path dockerConfigWithHelper() throws Exception {
        executable(helpers.resolve("docker-credential-test"), "read url\necho \"$1 $url\" >> \"" + tmp.resolve("helper-runs")
                + "\"\nprintf '{\"ServerURL\":\"%s\",\"Username\":\"" + USER + "\",\"Secret\":\"" + PASSWORD + "\"}' \"$url\"\n");
        return Files.writeString(tmp.resolve("config.json"), "{\"credHelpers\":{\"" + registry.host() + "\":\"test\"}}");
    }

    @Test
    void aCredHelperServesTheRegistry() throws Exception {
        try (ImageService images = images(null, Duration.ofSeconds(60), dockerConfigWithHelper())) {
            pull(images, "team/one", Credentials.NONE);
        }
        assertEquals(List.of("get " + registry.host()), Files.readAllLines(tmp.resolve("helper-runs")));
        assertNoSecretLogged();
    }

    @Test
    void aHangingPluginIsKilledAtItsTimeoutAndTheChainGoesOnToConfigJson() throws Exception {
        executable(bin.resolve("hang"), "echo $$ > \"" + tmp.resolve("hang.pid") + "\"\nsleep 600\n");
        try (ImageService images = images(config("hang", registry.host(), "1h"), Duration.ofMillis(500),
                dockerConfigWithHelper())) {
            pull(images, "team/one", Credentials.NONE);
        }
        String warning = log.stream().filter(l -> l.contains("\"hang\"")).findFirst().orElseThrow(() -> new AssertionError(log));
        assertTrue(warning.startsWith("WARNING") && warning.contains("timed out after 500 ms")
                && warning.contains(registry.host() + "/team/one"), warning);
        long pid = Long.parseLong(Files.readString(tmp.resolve("hang.pid")).trim());
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join()); // killed, so it ends; a leak would hang here
        assertEquals(1, Files.readAllLines(tmp.resolve("helper-runs")).size(), "config.json's helper served the pull");
    }

    @Test
    void badOutputIsAWarningWithoutTheOutputAndTheChainGoesOn() throws Exception {
        executable(bin.resolve("garbage"), "cat > /dev/null\necho '{\"apiVersion\":\"" + V1 + "\",\"kind\":\"CredentialProviderResponse\","
                + "\"cacheKeyType\":\"Image\",\"auth\":{\"" + registry.host() + "\":{\"username\":\"" + USER + "\",\"password\":\""
                + PASSWORD + "\"}},\"surprise\":true'\n");
        try (ImageService images = images(config("garbage", registry.host(), "1h"), Duration.ofSeconds(60),
                dockerConfigWithHelper())) {
            pull(images, "team/one", Credentials.NONE);
        }
        String warning = log.stream().filter(l -> l.contains("\"garbage\"")).findFirst().orElseThrow(() -> new AssertionError(log));
        assertTrue(warning.contains("invalid CredentialProviderResponse"), warning);
        assertNoSecretLogged();
    }

    @Test
    void aMissingPluginBinaryOrAnUnknownFieldStopsTheDaemonAtStart() throws Exception {
        Path providers = config("absent", registry.host(), "1h");
        Path toml = Files.writeString(tmp.resolve("config.toml"), "[registry]\ncredential_provider_config = \"" + providers
                + "\"\ncredential_provider_bin_dir = \"" + bin + "\"\n");
        DaemonConfig c = DaemonConfig.load(toml).withPaths(tmp.resolve("d/root"), tmp.resolve("d/run"), tmp.resolve("d/run/s.sock"));
        RuntimeException e = assertThrows(RuntimeException.class, () -> new Daemon(c));
        assertTrue(e.getMessage().contains(providers.toString()) && e.getMessage().contains("\"providers[0].name\"")
                && e.getMessage().contains(bin.resolve("absent").toString()), e.getMessage());
        plugin("absent", "Global", USER, PASSWORD);
        Files.writeString(providers, Files.readString(providers) + "    matchImage: [typo]\n");
        e = assertThrows(RuntimeException.class, () -> new Daemon(c));
        assertTrue(e.getMessage().contains("\"providers[0].matchImage\" is not a known field"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("d/run/s.sock")), "nothing served");
        assertTrue(CredentialProviderPlugin.class.getName().startsWith("io.ocimount.registry"));
    }
}
