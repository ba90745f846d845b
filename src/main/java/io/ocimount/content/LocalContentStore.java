package io.ocimount.content;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Blobs under {@code content/blobs/sha256/<hex>}; partial downloads under {@code content/ingest/<hex>}, keyed by
 * digest so a restarted pull resumes them. A commit is fsync then rename, so a crash never leaves a torn blob.
 */
public final class LocalContentStore implements ContentStore {
    private final BlobDirectory blobs;
    private final Path ingests;

    public LocalContentStore(Path root) {
        this.ingests = root.resolve("content/ingest");
        try {
            this.blobs = new BlobDirectory(root.resolve("content"));
            Files.createDirectories(ingests);
        } catch (IOException e) {
            throw new UncheckedIOException("create content store under " + root, e);
        }
    }

    @Override
    public Path file(Digest digest) {
        return blobs.path(digest);
    }

    @Override
    public boolean has(Digest digest) {
        return blobs.has(digest);
    }

    @Override
    public InputStream open(Digest digest) {
        try {
            return Files.newInputStream(blobs.path(digest));
        } catch (NoSuchFileException e) {
            throw OciMountException.notFound("open blob " + digest + ": not in the content store");
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "open blob " + digest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(Descriptor desc, byte[] bytes) {
        if (has(desc.digest())) {
            return;
        }
        try (Ingest w = new FileIngest(desc, ingests.resolve(desc.digest().hex() + ".put-" + Thread.currentThread().getId()),
                blobs, true)) {
            w.write(bytes, 0, bytes.length);
            w.commit();
        }
    }

    @Override
    public Ingest ingest(Descriptor desc) {
        return new FileIngest(desc, ingests.resolve(desc.digest().hex()), blobs, false);
    }

    @Override
    public void delete(Digest digest) {
        try {
            Files.deleteIfExists(blobs.path(digest));
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "delete blob " + digest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Partial> partials() {
        List<Partial> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(ingests)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException committedMeanwhile) {
                    continue;
                }
                String hex = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
                Digest digest = Digest.isDigest("sha256:" + hex) ? new Digest("sha256", hex) : null;
                out.add(new Partial(name, digest, a.size(), a.lastModifiedTime().toInstant()));
            }
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "list partial downloads: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void deletePartial(Partial partial) {
        try {
            Files.deleteIfExists(ingests.resolve(partial.name()));
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "delete partial download " + partial.name() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Set<Digest> list() {
        try {
            return blobs.list();
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "list blobs: " + e.getMessage(), e);
        }
    }
}
