package io.ocimount.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import org.junit.jupiter.api.Test;

class VolumeIdsTest {
    @Test
    void aTargetPathAsLongAsPathMaxIsAnId() {
        String id = "/" + "d".repeat(VolumeIds.MAX_BYTES - 1);
        assertEquals(id, VolumeIds.check(id));
        assertEquals("pod-1/vol é", VolumeIds.check("pod-1/vol é"));
    }

    @Test
    void longerOrWithControlCharactersIsRefusedWithABoundedMessage() {
        for (String bad : new String[] {"v".repeat(VolumeIds.MAX_BYTES + 1), "é".repeat(VolumeIds.MAX_BYTES / 2 + 1),
                "v1\nINFO forged", "v\0"}) {
            OciMountException e = assertThrows(OciMountException.class, () -> VolumeIds.check(bad));
            assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
            assertEquals("ImageVolumeMountFailed", e.reason());
            assertTrue(e.getMessage().startsWith("volume id \"") && e.getMessage().length() < 400, e::getMessage);
            assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), e::getMessage);
        }
    }
}
