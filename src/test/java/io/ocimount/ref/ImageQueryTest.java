package io.ocimount.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import org.junit.jupiter.api.Test;

class ImageQueryTest {
    @Test
    void idsPrefixesAndReferencesPass() {
        for (String ok : new String[] {"sha256:" + "a".repeat(64), "b".repeat(64), "abc", "sha256:abc", "busybox",
                "registry.example:5000/team/app:1.0", "busybox@sha256:" + "c".repeat(64)}) {
            assertEquals(ok, ImageQuery.check(ok));
        }
    }

    @Test
    void whatNamesNoImageIsTheCallersError() {
        for (String bad : new String[] {"", "BusyBox", "busy\0box", "registry.example/../etc", "busybox@sha256:xyz",
                "a".repeat(1 << 20)}) {
            OciMountException e = assertThrows(OciMountException.class, () -> ImageQuery.check(bad));
            assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
            assertEquals("InvalidImageName", e.reason());
        }
    }
}
