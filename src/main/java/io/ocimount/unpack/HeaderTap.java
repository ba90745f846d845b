package io.ocimount.unpack;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Keeps a copy of the bytes the tar reader consumes while it reads headers (never file data), so that PAX
 * records can be re-read as bytes: commons-compress decodes every PAX value as UTF-8, which destroys binary
 * xattr values such as {@code security.capability}.
 */
final class HeaderTap extends FilterInputStream {
    private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
    private final int cap;
    private boolean recording;
    private boolean overflowed;

    HeaderTap(InputStream in, int cap) {
        super(in);
        this.cap = cap;
    }

    void start() {
        recorded.reset();
        recording = true;
        overflowed = false;
    }

    void stop() {
        recording = false;
    }

    /** The bytes read since {@link #start()}, or null when there were more than the cap. */
    byte[] recorded() {
        return overflowed ? null : recorded.toByteArray();
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0 && recording) {
            keep(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n > 0 && recording) {
            keep(buf, off, n);
        }
        return n;
    }

    private void keep(byte[] buf, int off, int len) {
        if (overflowed) {
            return;
        }
        if (recorded.size() + len > cap) {
            overflowed = true;
            recorded.reset();
            return;
        }
        recorded.write(buf, off, len);
    }
}
