package io.ocimount.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json's order: auths (when it holds credentials), then credHelpers[registry], then credsStore. */
class DockerCredentialHelpersTest {
    @TempDir
    Path tmp;
    Path bin;
    Path config;

    @BeforeEach
    void helpers() throws Exception {
        bin = Files.createDirectories(tmp.resolve("bin"));
        config = tmp.resolve("config.json");
        // prints the server URL it was asked about as the user name, or "not found" for unknown.example
        helper("per-registry", "read url\necho \"$1 $url\" >> " + tmp.resolve("calls") + "\n"
                + "case \"$url\" in unknown.example) echo 'credentials not found in native keychain'; exit 1;; esac\n"
                + "printf '{\"ServerURL\":\"%s\",\"Username\":\"helper-%s\",\"Secret\":\"pw\"}' \"$url\" \"$url\"\n");
        helper("store", "read url\nprintf '{\"ServerURL\":\"%s\",\"Username\":\"<token>\",\"Secret\":\"idt\"}' \"$url\"\n");
    }

    private void helper(String name, String body) throws Exception {
        Path p = Files.writeString(bin.resolve("docker-credential-" + name), "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Optional<Credentials> lookup(String json, String image) throws Exception {
        Files.writeString(config, json);
        return new DockerConfigCredentials(config, new CredentialHelpers(List.of(tmp.resolve("empty"), bin),
                Duration.ofSeconds(20))).lookup(Reference.parse(image));
    }

    @Test
    void credHelpersRunsTheRegistrysHelperWithTheServerUrlOnStdin() throws Exception {
        Credentials c = lookup("{\"credHelpers\":{\"registry.example:5000\":\"per-registry\"}}", "registry.example:5000/a:v1")
                .orElseThrow();
        assertEquals("helper-registry.example:5000", c.username());
        assertEquals("pw", c.password());
        assertEquals("get registry.example:5000", Files.readString(tmp.resolve("calls")).trim());
    }

    @Test
    void dockerHubIsAskedAsIndexDockerIo() throws Exception {
        Credentials c = lookup("{\"credHelpers\":{\"https://index.docker.io/v1/\":\"per-registry\"}}", "busybox").orElseThrow();
        assertEquals("helper-https://index.docker.io/v1/", c.username());
    }

    @Test
    void credsStoreIsTheDefaultAndTokenMeansAnIdentityToken() throws Exception {
        Credentials c = lookup("{\"credsStore\":\"store\",\"credHelpers\":{\"other.example\":\"per-registry\"}}",
                "registry.example/a:v1").orElseThrow();
        assertEquals("", c.username());
        assertEquals("idt", c.identityToken());
    }

    @Test
    void authsWithCredentialsComeFirstAndAnEmptyEntryPassesToTheHelper() throws Exception {
        String auth = java.util.Base64.getEncoder().encodeToString("alice:s3cret".getBytes());
        assertEquals("alice", lookup("{\"auths\":{\"registry.example\":{\"auth\":\"" + auth + "\"}},\"credsStore\":\"store\"}",
                "registry.example/a:v1").orElseThrow().username());
        assertEquals("helper-registry.example", lookup("{\"auths\":{\"registry.example\":{}},"
                + "\"credHelpers\":{\"registry.example\":\"per-registry\"},\"credsStore\":\"store\"}", "registry.example/a:v1")
                .orElseThrow().username(), "credHelpers before credsStore");
    }

    @Test
    void notFoundMeansNoneAndAMissingHelperToo() throws Exception {
        assertEquals(Optional.empty(), lookup("{\"credHelpers\":{\"unknown.example\":\"per-registry\"}}", "unknown.example/a:v1"));
        assertEquals(Optional.empty(), lookup("{\"credsStore\":\"absent\"}", "registry.example/a:v1"));
        assertEquals(Optional.empty(), lookup("{\"credHelpers\":{\"other.example\":\"per-registry\"}}", "registry.example/a:v1"));
        assertTrue(Files.readAllLines(tmp.resolve("calls")).size() == 1, "the other registry's helper was not asked");
    }
}
