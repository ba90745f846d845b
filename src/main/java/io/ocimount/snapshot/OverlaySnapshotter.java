package io.ocimount.snapshot;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Digest;
import io.ocimount.sys.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Snapshots under {@code snapshots/<chainID hex>/fs}, each one layer in overlayfs form, so a read-only view of an
 * image is an overlay of these directories with no upper. A snapshot is prepared under {@code tmp-<uuid>} and
 * committed by one rename; removal renames to {@code del-<uuid>} first. Leftovers of either kind are from an
 * interrupted run and are deleted on start, so a kill -9 never leaves a half-unpacked snapshot in place.
 */
public final class OverlaySnapshotter implements Snapshotter {
    private static final String PENDING = "implicit-dirs";
    private final Path dir;

    public OverlaySnapshotter(Path root) {
        this.dir = root.resolve("snapshots");
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    String name = p.getFileName().toString();
                    if (name.startsWith("tmp-") || name.startsWith("del-")) {
                        Trees.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("open snapshots under " + root, e);
        }
    }

    private Path snapshotDir(Digest chainId) {
        return dir.resolve(chainId.hex());
    }

    @Override
    public boolean exists(Digest chainId) {
        return Files.isDirectory(snapshotDir(chainId).resolve("fs"));
    }

    @Override
    public Path path(Digest chainId) {
        return snapshotDir(chainId).resolve("fs");
    }

    @Override
    public Preparation prepare() {
        Path tmp = dir.resolve("tmp-" + UUID.randomUUID());
        try {
            Files.createDirectory(tmp);
            Files.createDirectory(tmp.resolve("fs"));
            return new Preparation(tmp, tmp.resolve("fs"));
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "prepare snapshot: " + e.getMessage(), e);
        }
    }

    @Override
    public void commit(Preparation prepared, Digest chainId, List<String> implicitDirs) {
        try {
            if (!implicitDirs.isEmpty()) {
                Files.write(prepared.dir().resolve(PENDING), String.join("\n", implicitDirs).getBytes(StandardCharsets.UTF_8));
            }
            Files.move(prepared.dir(), snapshotDir(chainId), StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
            prepared.discard(); // another pull committed the same layer first: same content by definition
        } catch (AtomicMoveNotSupportedException e) {
            prepared.discard();
            throw new OciMountException(ErrorKind.INTERNAL, "commit snapshot " + chainId + ": store spans file systems", e);
        } catch (IOException e) {
            prepared.discard();
            if (exists(chainId)) {
                return; // raced too: rename's ENOTEMPTY reaches us as a plain FileSystemException, not the type above
            }
            throw new OciMountException(ErrorKind.INTERNAL, "commit snapshot " + chainId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void completeImplicitDirs(List<Digest> stack) {
        for (int i = 0; i < stack.size(); i++) {
            Path pending = snapshotDir(stack.get(i)).resolve(PENDING);
            if (!Files.exists(pending)) {
                continue;
            }
            List<Path> lowers = new ArrayList<>();
            for (int j = i - 1; j >= 0; j--) {
                lowers.add(path(stack.get(j)));
            }
            try {
                for (String d : Files.readAllLines(pending, StandardCharsets.UTF_8)) {
                    LowerAttributes.copy(path(stack.get(i)), d, lowers);
                }
                Files.delete(pending);
            } catch (IOException e) {
                throw new OciMountException(ErrorKind.INTERNAL, "complete implicit directories of snapshot " + stack.get(i) + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void remove(Digest chainId) {
        detach(chainId);
        purgeDetached();
    }

    @Override
    public void detach(Digest chainId) {
        try {
            Files.move(snapshotDir(chainId), dir.resolve("del-" + UUID.randomUUID()), StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException gone) {
            // already removed
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "remove snapshot " + chainId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void purgeDetached() {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("del-")).toList()) {
                Trees.delete(p);
            }
        } catch (java.nio.file.NoSuchFileException purgedByAnother) {
            // two collections at once: the other one deleted it
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "delete removed snapshots: " + e.getMessage(), e);
        }
    }

    @Override
    public Set<Digest> list() {
        Set<Digest> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String name = p.getFileName().toString();
                if (Digest.isDigest("sha256:" + name)) {
                    out.add(new Digest("sha256", name));
                }
            });
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "list snapshots: " + e.getMessage(), e);
        }
        return out;
    }
}
