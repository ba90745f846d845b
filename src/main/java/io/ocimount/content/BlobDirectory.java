package io.ocimount.content;

import io.ocimount.oci.Digest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Blobs named by their digest under {@code <root>/blobs/sha256/<hex>}: the content store's form (root
 * {@code content/}) and an OCI image layout's (root: the layout). A blob appears by the rename of a finished,
 * synced file, so a reader never sees a torn one, and a crash leaves at worst a {@code .tmp-} file no digest names.
 * A scratch directory (blobs that only stage a push and are deleted after it) skips the syncs: nothing in it
 * has to survive a crash, and syncing a 150 MB layer cost `pack --push` 0.3 s.
 */
public final class BlobDirectory {
    /** Readable by all, like the files skopeo and umoci write into a layout (a temp file starts 0600). */
    private static final FileAttribute<Set<PosixFilePermission>> READABLE_BY_ALL =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));
    private final Path blobs;
    private final boolean durable;

    public BlobDirectory(Path root) throws IOException {
        this(root, true);
    }

    /** @param durable false for a scratch directory, whose blobs need not survive a crash */
    public BlobDirectory(Path root, boolean durable) throws IOException {
        this.blobs = Files.createDirectories(root.resolve("blobs/sha256"));
        this.durable = durable;
    }

    /** A blob's digest and size, learnt while it was written. */
    public record Stored(Digest digest, long size) {
    }

    /** Writes a blob's bytes to {@code out}. */
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    public Path path(Digest digest) {
        return blobs.resolve(digest.hex());
    }

    public boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    /** The digests stored; other names (temp files) are not blobs. */
    public Set<Digest> list() throws IOException {
        Set<Digest> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(blobs)) {
            s.map(p -> p.getFileName().toString()).filter(name -> Digest.isDigest("sha256:" + name))
                    .forEach(name -> out.add(new Digest("sha256", name)));
        }
        return out;
    }

    /**
     * Makes a finished, synced file the blob {@code digest}: an atomic rename, then the directory synced so the
     * new name survives a crash. The file must be on this directory's file system.
     */
    public void moveIn(Path finished, Digest digest) throws IOException {
        try {
            Files.move(finished, path(digest), StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(finished + " and " + blobs + " are on different file systems", e);
        }
        if (durable) {
            Fsync.directory(blobs);
        }
    }

    /** Stores {@code bytes} as a blob unless it is there already; returns their digest. */
    public Digest write(byte[] bytes) throws IOException {
        Digest digest = Digest.of(bytes);
        if (!has(digest)) {
            write(out -> out.write(bytes));
        }
        return digest;
    }

    /** Stores what {@code body} writes, hashed on the way: its digest is known only at the end. */
    public Stored write(Body body) throws IOException {
        Path tmp = Files.createTempFile(blobs, ".tmp-", "", READABLE_BY_ALL);
        try {
            BlobVerifier measured = BlobVerifier.measuring();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out = new Measured(Channels.newOutputStream(ch), measured);
                body.writeTo(out);
                out.flush();
                if (durable) {
                    ch.force(false);
                }
            }
            Digest digest = measured.verify();
            moveIn(tmp, digest);
            return new Stored(digest, measured.size());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Feeds what passes to a verifier. */
    private static final class Measured extends FilterOutputStream {
        private final BlobVerifier verifier;

        Measured(OutputStream out, BlobVerifier verifier) {
            super(out);
            this.verifier = verifier;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            verifier.update(b, off, len);
        }
    }
}
