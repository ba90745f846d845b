package io.ocimount.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A plugin written as a shell script: the request it gets, its env and args, the cache per key type (counted by the
 * lines the script appends to a file; time moves only on a test clock), bad output and failures, which give no
 * credentials and a warning without the output.
 */
class CredentialProviderPluginTest {
    static final String V1 = "credentialprovider.kubelet.k8s.io/v1";
    @TempDir
    Path tmp;
    final MovableClock clock = new MovableClock();
    final List<String> warnings = new ArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            warnings.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-12-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void listen() {
        Logger.getLogger(CredentialProviderPlugin.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger(CredentialProviderPlugin.class.getName()).removeHandler(capture);
    }

    /** A plugin that saves its request, args and env, counts its runs and prints response.json. */
    private CredentialProviderPlugin plugin(String name, Duration defaultCache, String script) throws Exception {
        Path exe = Files.writeString(tmp.resolve(name), "#!/bin/sh\n" + script);
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new CredentialProviderPlugin(new CredentialProviderConfig.Provider(name, exe,
                List.of("*.example", "registry.example:5000"), defaultCache, V1, List.of("--flag", "x"),
                Map.of("PLUGIN_DIR", tmp.toString())), Duration.ofSeconds(20), clock);
    }

    private static final String RECORDING = "cat > \"$PLUGIN_DIR/request\"\necho \"$*\" > \"$PLUGIN_DIR/args\"\n"
            + "echo run >> \"$PLUGIN_DIR/runs\"\ncat \"$PLUGIN_DIR/response.json\"\n";

    private void respond(String keyType, String cacheDuration, String authJson) throws Exception {
        Files.writeString(tmp.resolve("response.json"), "{\"apiVersion\":\"" + V1 + "\",\"kind\":\"CredentialProviderResponse\","
                + "\"cacheKeyType\":\"" + keyType + "\"" + (cacheDuration == null ? "" : ",\"cacheDuration\":\"" + cacheDuration + "\"")
                + ",\"auth\":" + authJson + "}");
    }

    private int runs() throws Exception {
        return Files.exists(tmp.resolve("runs")) ? Files.readAllLines(tmp.resolve("runs")).size() : 0;
    }

    private static Optional<Credentials> lookup(CredentialProviderPlugin p, String image) {
        return new KubeletCredentialProviders(List.of(p)).lookup(Reference.parse(image));
    }

    @Test
    void sendsTheRequestWithArgsAndEnvAndPicksTheMostSpecificKey() throws Exception {
        CredentialProviderPlugin p = plugin("p", Duration.ZERO, RECORDING);
        respond("Image", null, "{\"a.example\":{\"username\":\"host\",\"password\":\"s1\"},"
                + "\"a.example/team\":{\"username\":\"team\",\"password\":\"s2\"}}");
        Credentials c = lookup(p, "a.example/team/app:v1").orElseThrow();
        assertEquals("team", c.username());
        assertEquals("s2", c.password());
        assertEquals("a.example", c.serverAddress());
        assertEquals("{\"apiVersion\":\"" + V1 + "\",\"kind\":\"CredentialProviderRequest\",\"image\":\"a.example/team/app\"}",
                Files.readString(tmp.resolve("request")).replaceAll("\\s", ""), "the repository, as kubelet sends it");
        assertEquals("--flag x", Files.readString(tmp.resolve("args")).trim());
        assertEquals("host", lookup(p, "a.example/other:v1").orElseThrow().username());
    }

    @Test
    void imagesThatMatchNoGlobDoNotRunThePlugin() throws Exception {
        CredentialProviderPlugin p = plugin("p", Duration.ofHours(1), RECORDING);
        respond("Global", null, "{\"*.example\":{\"username\":\"u\",\"password\":\"p\"}}");
        assertEquals(Optional.empty(), lookup(p, "a.b.example/x:v1"), "one label per *");
        assertEquals(Optional.empty(), lookup(p, "registry.example:6000/x:v1"), "another port");
        assertEquals(0, runs());
        assertTrue(lookup(p, "registry.example:5000/x:v1").isEmpty(), "matched, but the auth key does not");
        assertEquals(1, runs());
    }

    /** The plugin's runs after each of the same five lookups: what each cacheKeyType shares. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"Image, 1 1 2 3 3", "Registry, 1 1 1 2 2", "Global, 1 1 1 1 1"})
    void eachKeyTypeSharesItsEntry(String keyType, String expected) throws Exception {
        CredentialProviderPlugin p = plugin("p", Duration.ofHours(1), RECORDING);
        respond(keyType, null, "{\"*.example\":{\"username\":\"u\",\"password\":\"p\"}}");
        List<Integer> seen = new ArrayList<>();
        for (String image : List.of("a.example/one:v1", "a.example/one:v2", "a.example/two:v1", "b.example/one:v1",
                "b.example/one@sha256:" + "0".repeat(64))) {
            assertEquals("u", lookup(p, image).orElseThrow().username());
            seen.add(runs());
        }
        assertEquals(expected, seen.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" ")),
                "the tag or digest is never part of the image; Registry shares a host, Global everything");
    }

    @Test
    void entriesExpireAfterTheResponsesDurationElseTheDefault() throws Exception {
        CredentialProviderPlugin p = plugin("p", Duration.ofMinutes(5), RECORDING);
        respond("Registry", "10m", "{\"*.example\":{\"username\":\"u\",\"password\":\"p\"}}");
        lookup(p, "a.example/one:v1");
        clock.now = clock.now.plus(Duration.ofMinutes(9));
        lookup(p, "a.example/two:v1");
        assertEquals(1, runs(), "the response's cacheDuration (10m) wins over the default (5m)");
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        lookup(p, "a.example/two:v1");
        assertEquals(2, runs(), "expired at 10m");
        respond("Registry", null, "{\"*.example\":{\"username\":\"u\",\"password\":\"p\"}}");
        lookup(p, "b.example/one:v1");
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        lookup(p, "b.example/one:v1");
        assertEquals(3, runs(), "within the default duration");
        clock.now = clock.now.plus(Duration.ofMinutes(1));
        lookup(p, "b.example/one:v1");
        assertEquals(4, runs(), "the default duration (5m) ran out");
    }

    @Test
    void aZeroDurationIsNotCached() throws Exception {
        CredentialProviderPlugin p = plugin("p", Duration.ofHours(1), RECORDING);
        respond("Global", "0s", "{\"*.example\":{\"username\":\"u\",\"password\":\"p\"}}");
        lookup(p, "a.example/one:v1");
        lookup(p, "a.example/one:v1");
        assertEquals(2, runs());
        CredentialProviderPlugin noDefault = plugin("q", Duration.ZERO, RECORDING);
        respond("Global", null, "{\"*.example\":{\"username\":\"u\",\"password\":\"p\"}}");
        lookup(noDefault, "a.example/one:v1");
        lookup(noDefault, "a.example/one:v1");
        assertEquals(4, runs(), "no cacheDuration and a default of 0");
    }

    @Test
    void badOutputGivesNothingAndAWarningWithoutTheOutput() throws Exception {
        for (String out : List.of("not json s3cret-in-output", "{\"apiVersion\":\"" + V1 + "\",\"kind\":\"CredentialProviderResponse\","
                + "\"cacheKeyType\":\"Forever\",\"auth\":{\"*.example\":{\"username\":\"u\",\"password\":\"s3cret-in-output\"}}}",
                "{\"apiVersion\":\"credentialprovider.kubelet.k8s.io/v1beta1\",\"kind\":\"CredentialProviderResponse\","
                        + "\"cacheKeyType\":\"Image\",\"auth\":{\"*.example\":{\"username\":\"u\",\"password\":\"s3cret-in-output\"}}}",
                "{\"apiVersion\":\"" + V1 + "\",\"kind\":\"CredentialProviderResponse\",\"cacheKeyType\":\"Image\","
                        + "\"auth\":{\"*.example\":{\"username\":\"u\",\"password\":\"s3cret-in-output\",\"extra\":1}}}")) {
            Files.writeString(tmp.resolve("response.json"), out);
            assertEquals(Optional.empty(), lookup(plugin("bad", Duration.ofHours(1), RECORDING), "a.example/x:v1"), out);
        }
        assertEquals(4, warnings.size(), warnings.toString());
        for (String w : warnings) {
            assertTrue(w.contains("\"bad\"") && w.contains("a.example/x") && w.contains("invalid CredentialProviderResponse"), w);
            assertFalse(w.contains("s3cret"), w);
        }
    }

    @Test
    void aFailingPluginGivesNothingAndIsNotCached() throws Exception {
        CredentialProviderPlugin p = plugin("failing", Duration.ofHours(1),
                "echo run >> \"$PLUGIN_DIR/runs\"\necho 's3cret on stdout'\necho 's3cret on stderr' >&2\nexit 3\n");
        assertEquals(Optional.empty(), lookup(p, "a.example/x:v1"));
        assertEquals(Optional.empty(), lookup(p, "a.example/x:v1"));
        assertEquals(2, runs());
        assertTrue(warnings.get(0).contains("\"failing\"") && warnings.get(0).contains("exited with status 3"), warnings.toString());
        assertFalse(String.join("\n", warnings).contains("s3cret"));
    }

    @Test
    void aHangingPluginIsKilledAtTheTimeout() throws Exception {
        Path exe = Files.writeString(tmp.resolve("hang"), "#!/bin/sh\necho $$ > \"$PLUGIN_DIR/pid\"\nsleep 1000\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        CredentialProviderPlugin p = new CredentialProviderPlugin(new CredentialProviderConfig.Provider("hang", exe,
                List.of("*.example"), Duration.ZERO, V1, List.of(), Map.of("PLUGIN_DIR", tmp.toString())),
                Duration.ofMillis(300), clock);
        assertEquals(Optional.empty(), lookup(p, "a.example/x:v1"));
        assertTrue(warnings.get(0).contains("\"hang\"") && warnings.get(0).contains("a.example/x")
                && warnings.get(0).contains("timed out after 300 ms"), warnings.toString());
        long pid = Long.parseLong(Files.readString(tmp.resolve("pid")).trim());
        Optional<ProcessHandle> left = ProcessHandle.of(pid);
        if (left.isPresent()) {
            left.get().onExit().get(10, java.util.concurrent.TimeUnit.SECONDS); // killed: gone once reaped
        }
    }
}
