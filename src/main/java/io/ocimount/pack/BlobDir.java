package io.ocimount.pack;

import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.util.Map;

/**
 * Blobs under {@code blobs/sha256/<hex>}, the OCI image layout's form; each written to a temp file and renamed.
 * A push re-verifies nothing here: the registry checks every blob's digest on upload.
 */
final class BlobDir {
    private final Path blobs;
    private final boolean scratch;
    private final Map<Digest, Path> sources = new java.util.HashMap<>();

    /**
     * @param scratch true when the blobs only stage a push: source files are then read in place by
     *                {@link #adopt} instead of copied (an OCI layout must hold its own copies)
     */
    BlobDir(Path root, boolean scratch) throws IOException {
        this.blobs = Files.createDirectories(root.resolve("blobs/sha256"));
        this.scratch = scratch;
    }

    Path file(Digest d) {
        return sources.getOrDefault(d, blobs.resolve(d.hex()));
    }

    /** A source file as a blob: hashed where it is when staging a push, copied into the directory otherwise. */
    Descriptor adopt(String mediaType, Map<String, String> annotations, Path source) throws IOException {
        if (!scratch) {
            return stream(mediaType, annotations, out -> Files.copy(source, out));
        }
        java.security.MessageDigest sha = Digest.newSha256();
        long size;
        try (var in = new java.security.DigestInputStream(Files.newInputStream(source), sha)) {
            size = in.transferTo(OutputStream.nullOutputStream());
        }
        Digest d = Digest.fromRaw(sha.digest());
        sources.putIfAbsent(d, source);
        return new Descriptor(mediaType, d, size, null, annotations, null);
    }

    Descriptor write(String mediaType, byte[] bytes, Map<String, String> annotations, String artifactType)
            throws IOException {
        Digest d = Digest.of(bytes);
        if (!Files.exists(file(d))) {
            Path tmp = tempFile();
            Files.write(tmp, bytes);
            Files.move(tmp, file(d), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return new Descriptor(mediaType, d, bytes.length, null, annotations, artifactType);
    }

    /** A blob streamed by {@code body}: hashed while written, then named by its digest. */
    Descriptor stream(String mediaType, Map<String, String> annotations, Body body) throws IOException {
        Path tmp = tempFile();
        try {
            long size;
            java.security.MessageDigest sha = Digest.newSha256();
            try (CountingStream counted = new CountingStream(Files.newOutputStream(tmp));
                 DigestOutputStream out = new DigestOutputStream(counted, sha)) {
                body.writeTo(out);
                out.flush();
                size = counted.count;
            }
            Digest d = Digest.fromRaw(sha.digest());
            Files.move(tmp, file(d), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Descriptor(mediaType, d, size, null, annotations, null);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Readable by all, like the files skopeo and umoci write into a layout (a temp file starts 0600). */
    private Path tempFile() throws IOException {
        return Files.createTempFile(blobs, ".tmp-", "", java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--")));
    }

    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
