package io.ocimount.content;

import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** A content-addressed blob store: nothing becomes readable until its size and digest were checked. */
public interface ContentStore {
    boolean has(Digest digest);

    /** The blob's bytes; NOT_FOUND when absent. */
    InputStream open(Digest digest);

    /** Writes a blob already held in memory, checked against {@code desc}; a present blob is left alone. */
    void put(Descriptor desc, byte[] bytes);

    /** A resumable writer for {@code desc}; it picks up a partial download left by an earlier attempt. */
    Ingest ingest(Descriptor desc);

    /** Where a stored blob lives, so an artifact volume can hard-link it instead of copying its bytes. */
    Path file(Digest digest);

    /** Deletes a stored blob; partial downloads of it are left to {@link #deletePartial}. */
    void delete(Digest digest);

    Set<Digest> list();

    /** Partial downloads kept for a resume; the caller decides which are no longer worth their space. */
    List<Partial> partials();

    /** Deletes a partial download; one that is gone already is not an error. */
    void deletePartial(Partial partial);
}
