package io.ocimount.image;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.ocimount.testkit.SilentStream;
import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Closing a read-ahead stops its thread even when the source has gone quiet, instead of waiting it out. */
class ReadAheadTest {
    @Test
    void closeBreaksAReadThatWaitsForASilentSource() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            ReadAhead in = new ReadAhead(new SequenceInputStream(new ByteArrayInputStream(new byte[] {1, 2, 3}), new SilentStream()),
                    "test-read-ahead");
            Thread.sleep(100); // the reading thread is now blocked in the silent source
            in.close();
        });
    }
}
