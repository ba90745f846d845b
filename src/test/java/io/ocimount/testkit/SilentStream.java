package io.ocimount.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/** Sends nothing until the reading thread is interrupted, as the JDK HTTP client's body stream does. */
public final class SilentStream extends InputStream {
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
