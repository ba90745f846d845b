package io.ocimount.image;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Closing a read-ahead stops its thread even when the source has gone quiet, instead of waiting it out. */
class ReadAheadTest {
    @Test
    void closeBreaksAReadThatWaitsForASilentSource() {
        InputStream silent = new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("no data");
                }
                return -1;
            }
        };
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            ReadAhead in = new ReadAhead(new SequenceInputStream(new ByteArrayInputStream(new byte[] {1, 2, 3}), silent),
                    "test-read-ahead");
            Thread.sleep(100); // the reading thread is now blocked in the silent source
            in.close();
        });
    }
}
