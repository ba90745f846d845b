package io.ocimount.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import org.junit.jupiter.api.Test;

/** What a mount request must be before anything is pulled or created: bounded, printable, an absolute target. */
class MountRequestTest {
    private static MountRequest request(String id, String target) {
        return new MountRequest(id, target, "registry.example/app:1", "", true, "", null, "ns", "pod", "uid");
    }

    private static OciMountException refused(MountRequest r) {
        OciMountException e = assertThrows(OciMountException.class, r::validate);
        assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind(), e::getMessage);
        assertEquals("ImageVolumeMountFailed", e.reason());
        assertTrue(e.getMessage().length() < 800, () -> "bounded: " + e.getMessage().length());
        assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), e::getMessage);
        return e;
    }

    @Test
    void aTargetPathAsLongAsPathMaxIsAnId() {
        request("/" + "d".repeat(MountRequest.MAX_ID_BYTES - 1), "/mnt/x").validate();
        request("pod-1/vol é", "/mnt/x").validate();
    }

    @Test
    void aLongerIdOrOneWithControlCharactersIsRefusedWithABoundedMessage() {
        for (String bad : new String[] {"v".repeat(MountRequest.MAX_ID_BYTES + 1), "é".repeat(MountRequest.MAX_ID_BYTES / 2 + 1),
                "v1\nINFO forged", "v\0", ""}) {
            assertTrue(refused(request(bad, "/mnt/x")).getMessage().startsWith("volume id \""));
        }
    }

    @Test
    void podFieldsAreBoundedToo() {
        MountRequest r = new MountRequest("v", "/mnt/x", "app:1", "", true, "", null, "ns", "p".repeat(100_000), "u");
        assertTrue(refused(r).getMessage().startsWith("pod name \""));
    }

    @Test
    void targetsMustBeAbsoluteWithoutDotDotOrNul() {
        assertEquals("target \"/mnt/a/../etc\" contains \"..\" in image \"registry.example/app:1\" (volume v)",
                refused(request("v", "/mnt/a/../etc")).getMessage());
        assertTrue(refused(request("v", "/mnt/a\0b")).getMessage().contains("contains a NUL byte"));
        assertTrue(refused(request("v", "relative/dir")).getMessage().contains("is not an absolute path"));
        assertTrue(refused(request("v", "/")).getMessage().contains("is the root directory"));
        assertTrue(refused(request("v", "//./")).getMessage().contains("is the root directory"));
        assertTrue(refused(request("v", "")).getMessage().contains("is empty"));
        assertTrue(refused(request("v", "/" + "t".repeat(5000))).getMessage().contains("longer than 4096 bytes"));
        request("v", "/mnt/./a//b").validate();
    }

    @Test
    void aSubPathWithNulIsRefusedBeforeTheImageIsResolved() {
        MountRequest r = new MountRequest("v", "/mnt/x", "app:1", "etc\0passwd", true, "", null, "", "", "");
        assertTrue(refused(r).getMessage().startsWith("sub path \"etc\\u0000passwd\" contains a NUL byte"));
    }
}
