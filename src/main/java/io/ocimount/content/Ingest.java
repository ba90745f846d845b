package io.ocimount.content;

import java.io.Closeable;

/** A blob being written: size is checked on every write, digest and size at commit. */
public interface Ingest extends Closeable {
    /** Bytes already held (resumed from an earlier attempt, plus what was written). */
    long offset();

    /** The bytes already held, from the start: a resumed download that is also being unpacked replays them. */
    java.io.InputStream readBack();

    void write(byte[] buf, int off, int len);

    /** Verifies and makes the blob visible atomically; on mismatch the partial data is discarded. */
    void commit();

    /** Closes without committing; the partial data stays for a later resume. */
    @Override
    void close();
}
