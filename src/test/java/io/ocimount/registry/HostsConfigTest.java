package io.ocimount.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsWithoutAFile() {
        HostsConfig h = new HostsConfig(dir);
        assertEquals("https://registry-1.docker.io/v2", h.hostsFor("docker.io").get(0).base().toString());
        assertEquals("http://127.0.0.1:5000/v2", h.hostsFor("127.0.0.1:5000").get(0).base().toString());
        assertEquals("https://quay.io/v2", h.hostsFor("quay.io").get(0).base().toString());
    }

    @Test
    void mirrorsInFileOrderThenServer() throws Exception {
        Path f = dir.resolve("docker.io/hosts.toml");
        Files.createDirectories(f.getParent());
        Files.writeString(f, """
                server = "https://registry-1.docker.io"

                [host."https://mirror.example"]
                  capabilities = ["pull"]
                  skip_verify = true
                  [host."https://mirror.example".header]
                    x-team = "nodes"

                [host."http://plain.example:8080/custom"]
                  capabilities = ["pull", "resolve"]
                  override_path = true
                """);
        List<RegistryHost> hosts = new HostsConfig(dir).hostsFor("docker.io");
        assertEquals(3, hosts.size());
        RegistryHost mirror = hosts.get(0);
        assertEquals("https://mirror.example/v2", mirror.base().toString());
        assertTrue(mirror.canPull());
        assertFalse(mirror.canResolve(), "a pull-only mirror is never trusted with tags");
        assertTrue(mirror.skipVerify());
        assertEquals(List.of("nodes"), mirror.headers().get("x-team"));
        assertFalse(mirror.upstream());
        assertEquals("https://mirror.example/v2/library/busybox/manifests/latest?ns=docker.io",
                mirror.endpoint("library/busybox", "manifests", "latest").toString());
        assertEquals("http://plain.example:8080/custom", hosts.get(1).base().toString());
        assertTrue(hosts.get(2).upstream());
        assertEquals("https://registry-1.docker.io/v2/library/busybox/blobs/x",
                hosts.get(2).endpoint("library/busybox", "blobs", "x").toString());
    }
}
