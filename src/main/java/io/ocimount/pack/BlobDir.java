package io.ocimount.pack;

import io.ocimount.content.BlobDirectory;
import io.ocimount.content.BlobVerifier;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a pack puts its blobs: an OCI layout's {@code blobs/sha256/<hex>}, kept by the content package's
 * {@link BlobDirectory}, or when staging a push, files adopted where they are. A push re-verifies nothing here:
 * the registry checks every blob's digest on upload.
 */
final class BlobDir {
    private final BlobDirectory blobs;
    private final boolean scratch;
    private final Map<Digest, Path> sources = new HashMap<>();

    /**
     * @param scratch true when the blobs only stage a push: source files are then read in place by
     *                {@link #adopt} instead of copied (an OCI layout must hold its own copies)
     */
    BlobDir(Path root, boolean scratch) throws IOException {
        this.blobs = new BlobDirectory(root, !scratch); // staged blobs are deleted after the push: no syncs
        this.scratch = scratch;
    }

    Path file(Digest d) {
        return sources.getOrDefault(d, blobs.path(d));
    }

    /** A source file as a blob: hashed where it is when staging a push, copied into the directory otherwise. */
    Descriptor adopt(String mediaType, Map<String, String> annotations, Path source) throws IOException {
        if (!scratch) {
            return stream(mediaType, annotations, out -> Files.copy(source, out));
        }
        BlobVerifier measured = BlobVerifier.measuring();
        try (InputStream in = Files.newInputStream(source)) {
            measured.update(in);
        }
        Digest d = measured.verify();
        sources.putIfAbsent(d, source);
        return new Descriptor(mediaType, d, measured.size(), null, annotations, null);
    }

    Descriptor write(String mediaType, byte[] bytes, Map<String, String> annotations, String artifactType)
            throws IOException {
        return new Descriptor(mediaType, blobs.write(bytes), bytes.length, null, annotations, artifactType);
    }

    /** A blob streamed by {@code body}: hashed while written, then named by its digest. */
    Descriptor stream(String mediaType, Map<String, String> annotations, BlobDirectory.Body body) throws IOException {
        BlobDirectory.Stored stored = blobs.write(body);
        return new Descriptor(mediaType, stored.digest(), stored.size(), null, annotations, null);
    }
}
