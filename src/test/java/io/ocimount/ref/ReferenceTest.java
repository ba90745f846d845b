package io.ocimount.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ocimount.errdefs.OciMountException;
import org.junit.jupiter.api.Test;

class ReferenceTest {
    @Test
    void normalizesDockerHubNames() {
        assertEquals("docker.io/library/busybox:latest", Reference.parse("busybox").toString());
        assertEquals("docker.io/library/busybox:1.36", Reference.parse("docker.io/busybox:1.36").toString());
        assertEquals("docker.io/library/busybox:latest", Reference.parse("index.docker.io/library/busybox").toString());
        assertEquals("docker.io/user/app:latest", Reference.parse("user/app").toString());
    }

    @Test
    void keepsRegistryHostsAndPorts() {
        Reference r = Reference.parse("127.0.0.1:5000/test/vol:v1");
        assertEquals("127.0.0.1:5000", r.domain());
        assertEquals("test/vol", r.path());
        assertEquals("v1", r.tag());
        assertEquals("localhost/app:latest", Reference.parse("localhost/app").toString());
    }

    @Test
    void digestReferencesCarryNoTag() {
        String d = "sha256:" + "a".repeat(64);
        Reference r = Reference.parse("registry.k8s.io/pause:3.9@" + d);
        assertNull(r.tag());
        assertEquals("registry.k8s.io/pause@" + d, r.toString());
    }

    @Test
    void refusesInvalidNames() {
        for (String bad : new String[] {"", "docker.io/Upper", "a".repeat(64), "host/a//b", "busybox:bad tag",
                "busybox@sha256:short", "busybox@md5:" + "a".repeat(32)}) {
            OciMountException e = assertThrows(OciMountException.class, () -> Reference.parse(bad), bad);
            assertEquals("InvalidImageName", e.reason());
        }
    }
}
