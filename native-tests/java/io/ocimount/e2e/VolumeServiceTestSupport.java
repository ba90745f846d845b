package io.ocimount.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Mount-table chores for end-to-end tests. */
final class VolumeServiceTestSupport {
    private VolumeServiceTestSupport() {
    }

    static void umount(Path target) throws Exception {
        Process p = new ProcessBuilder("umount", target.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "umount " + target + ": " + out);
    }
}
