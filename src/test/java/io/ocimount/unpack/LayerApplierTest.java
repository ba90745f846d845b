package io.ocimount.unpack;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.testkit.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed write ends an application even while its input has stopped coming (a registry that went quiet). */
class LayerApplierTest {
    @TempDir
    Path dir;

    /** Sends nothing until the reading thread is interrupted, as the JDK client's body stream does. */
    static final class Silent extends InputStream {
        @Override
        public int read() throws IOException {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                throw new InterruptedIOException("no data");
            }
            return -1;
        }
    }

    @Test
    void aWriteThatFailsWhileTheInputIsSilentEndsTheApplyWithThatFailure() throws Exception {
        // the first entry cannot be created (a name over NAME_MAX); the second is only half there, then silence
        byte[] tar = new TarBuilder().file("n".repeat(300), "x").file("rest.bin", new byte[1 << 20], 0644).build();
        java.nio.file.Files.createDirectories(dir.resolve("fs"));
        InputStream blob = new SequenceInputStream(new ByteArrayInputStream(tar, 0, tar.length / 2), new Silent());
        LocalWriteException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                LocalWriteException.class, () -> new LayerApplier(LayerLimits.defaults()).apply(blob, dir.resolve("fs"))));
        assertTrue(e.getMessage().contains("File name too long"), e::getMessage);
        assertTrue(!Thread.currentThread().isInterrupted(), "the wake-up does not leak to the caller");
    }
}
