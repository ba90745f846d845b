package io.ocimount.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class PlatformTest {
    @Test
    void normalizesLikeContainerd() {
        assertEquals(new Platform("linux", "arm64", ""), new Platform("linux", "aarch64", "v8"));
        assertEquals(new Platform("linux", "amd64", ""), new Platform("Linux", "x86_64", "v1"));
        assertEquals("linux/arm/v7", new Platform("linux", "armhf", "").toString());
        assertEquals("linux/arm64/v9", Platform.parse("linux/arm64/9").toString());
        assertNotEquals(new Platform("linux", "amd64", ""), new Platform("linux", "amd64", "v3"));
    }
}
