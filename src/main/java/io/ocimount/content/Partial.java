package io.ocimount.content;

import io.ocimount.oci.Digest;
import java.time.Instant;

/**
 * A partial download under {@code content/ingest}: the file's name, the blob it is for (null for a name that is
 * not one of ours), how many bytes it holds and when it was last written.
 */
public record Partial(String name, Digest digest, long bytes, Instant modified) {
}
