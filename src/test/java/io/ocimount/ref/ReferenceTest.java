package io.ocimount.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.OciMountException;
import java.util.List;
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

    @Test
    void aHugeReferenceIsRefusedWithABoundedMessage() {
        // the third one once overflowed the stack in the registry host pattern
        for (String huge : List.of("a".repeat(1 << 20), "A".repeat(1 << 16) + "!/app", "a.".repeat(1 << 19) + "a/app")) {
            OciMountException e = assertThrows(OciMountException.class, () -> Reference.parse(huge));
            assertEquals("InvalidImageName", e.reason());
            assertTrue(e.getMessage().length() < 400, () -> e.getMessage().length() + " chars");
            assertTrue(e.getMessage().endsWith("… (" + huge.length() + " chars): longer than 1024 characters"),
                    () -> e.getMessage().substring(e.getMessage().length() - 60));
        }
    }

    @Test
    void controlCharactersInARefusedReferenceAreShownEscaped() {
        OciMountException e = assertThrows(OciMountException.class, () -> Reference.parse("busy\0box:1\nforged"));
        assertEquals("parse reference \"busy\\u0000box:1\\nforged\": invalid tag \"1\\nforged\"", e.getMessage());
    }

    @Test
    void theLongestAcceptedHostDoesNotOverflowThePattern() {
        String host = "a.".repeat(500) + "a";
        assertEquals(host, Reference.parse(host + "/x:1").domain());
    }

    @Test
    void hostNamesAreCaseInsensitive() {
        assertEquals("quay.io/org/app", Reference.parse("QUAY.IO/org/app:1").name());
        assertEquals("docker.io/library/busybox", Reference.parse("Index.Docker.IO/library/busybox").name());
        assertEquals("registry.example:5000/a", Reference.parse("Registry.Example:5000/a@sha256:" + "a".repeat(64)).name());
    }
}
