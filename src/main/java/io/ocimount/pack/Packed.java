package io.ocimount.pack;

import io.ocimount.oci.Digest;
import io.ocimount.oci.Descriptor;
import java.nio.file.Path;
import java.util.List;

/**
 * What a pack produced, in push order: {@code blobs} (layers and configs), then {@code manifests} (per-platform
 * manifests under an index), then {@code top}, the object the tag names. Every file lives in {@code dir}.
 */
public record Packed(Descriptor top, List<Descriptor> blobs, List<Descriptor> manifests, BlobDirView dir) {
    /** Where each blob's bytes are. */
    public interface BlobDirView {
        Path file(Digest digest);
    }
}
