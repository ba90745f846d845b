package io.ocimount.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.ref.Reference;
import io.ocimount.testkit.FakeRegistry;
import io.ocimount.testkit.ImageBuilder;
import io.ocimount.wiring.Wiring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where credentials come from and how they reach the token server: AuthConfig, identity token, config.json. */
class CredentialSourcesTest {
    @TempDir
    Path tmp;
    FakeRegistry registry;

    @BeforeEach
    void start() throws Exception {
        registry = new FakeRegistry("127.0.0.1");
        registry.addImage("test/img", "v1", new ImageBuilder().layer(Map.of("a", "b")).build());
        registry.requireBearer("tok-1");
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private void resolve(RegistrySettings settings, Credentials creds) {
        Wiring.registry(settings).session(Reference.parse(registry.host() + "/test/img:v1"), creds).resolve(Cancellation.none());
    }

    private static RegistrySettings settings(Path dockerConfig) {
        RegistrySettings d = RegistrySettings.defaults().withBackoff(Duration.ofMillis(5));
        return new RegistrySettings(d.hostsDir(), dockerConfig, d.maxAttempts(), d.baseBackoff(), d.requestTimeout(),
                d.maxManifestBytes(), d.maxConfigBytes(), d.idleConnectionTimeout(), d.credentials());
    }

    @Test
    void identityTokenIsExchangedWithTheRefreshTokenGrant() {
        resolve(settings(null), Credentials.of(registry.host(), "", "", "", "idt-secret", ""));
        assertEquals(1, registry.tokenCalls.size(), registry.tokenCalls.toString());
        String call = registry.tokenCalls.get(0);
        assertTrue(call.startsWith("POST "), call);
        assertTrue(call.contains("grant_type=refresh_token") && call.contains("refresh_token=idt-secret"), call);
        assertTrue(call.contains("scope=repository%3Atest%2Fimg%3Apull"), call);
        assertTrue(registry.authorizationsSeen.contains("Bearer tok-1"));
    }

    @Test
    void dockerConfigCredentialsAreUsedWhenTheCallerSendsNone() throws Exception {
        Path config = tmp.resolve("config.json");
        String auth = Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8));
        Files.writeString(config, "{\"auths\":{\"" + registry.host() + "\":{\"auth\":\"" + auth + "\"}}}");
        resolve(settings(config), Credentials.NONE);
        assertEquals(1, registry.tokenCalls.size(), registry.tokenCalls.toString());
        assertTrue(registry.tokenCalls.get(0).startsWith("GET ") && registry.tokenCalls.get(0).endsWith("Basic " + auth),
                registry.tokenCalls.get(0));
    }

    @Test
    void callerCredentialsWinOverDockerConfigAndOtherRegistriesEntriesAreNotSent() throws Exception {
        Path config = tmp.resolve("config.json");
        String other = Base64.getEncoder().encodeToString("mallory:x".getBytes(StandardCharsets.UTF_8));
        Files.writeString(config, "{\"auths\":{\"other.example:5000\":{\"auth\":\"" + other + "\"}}}");
        resolve(settings(config), Credentials.NONE);
        assertFalse(registry.tokenCalls.get(0).contains("Basic"), "no credentials for another registry: " + registry.tokenCalls);
        resolve(settings(config), Credentials.of("", "bob", "pw", "", "", ""));
        String bob = Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8));
        assertTrue(registry.tokenCalls.get(1).endsWith("Basic " + bob), registry.tokenCalls.toString());
    }

    @Test
    void credentialsNeverAppearInToString() {
        Credentials c = Credentials.of("r", "user", "pw-secret", "", "idt-secret", "reg-secret");
        assertFalse(c.toString().contains("pw-secret") || c.toString().contains("idt-secret") || c.toString().contains("reg-secret"), c.toString());
    }
}
