package io.ocimount.artifact;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The file operations of building an artifact tree, all inside directories the builder made itself. */
final class TreeFiles {
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("r--r--r--");
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    private TreeFiles() {
    }

    /** Makes {@code root/path}'s parents (0755) and returns where the entry itself goes. */
    static Path parentsOf(Path root, List<String> path) throws IOException {
        Path dir = root;
        for (int i = 0; i < path.size() - 1; i++) {
            dir = dir.resolve(path.get(i));
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir);
                Files.setPosixFilePermissions(dir, DIR_MODE);
            }
        }
        return dir.resolve(path.get(path.size() - 1));
    }

    /** A hard link to the verified blob, read-only for all; a copy when the store spans file systems. */
    static void linkOrCopy(Path blob, Path root, List<String> path) throws IOException {
        Path at = parentsOf(root, path);
        try {
            Files.createLink(at, blob);
        } catch (FileSystemException | UnsupportedOperationException crossDevice) {
            Files.copy(blob, at);
        }
        Files.setPosixFilePermissions(at, FILE_MODE);
    }

    /** Renames an unpacked entry into place; the rename never follows a link at the destination. */
    static void moveInto(Path entry, Path root, List<String> path) throws IOException {
        Files.move(entry, parentsOf(root, path), StandardCopyOption.ATOMIC_MOVE);
    }

    static List<String> sortedNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * The entry at {@code path} when the tree holds nothing else: an ORAS directory layer whose tar puts
     * files beside its own name is refused rather than partly shown.
     */
    static Path onlyPath(Path tree, List<String> path) throws IOException {
        Path at = tree;
        for (String c : path) {
            List<String> names = sortedNames(at);
            if (!names.equals(List.of(c)) || !Files.isDirectory(at.resolve(c), LinkOption.NOFOLLOW_LINKS)) {
                throw new LayerPlacement.BadName("ORAS directory layer holds " + names + " where only the directory \""
                        + c + "\" may be");
            }
            at = at.resolve(c);
        }
        return at;
    }

    /** Unpacking onto nothing leaves overlay whiteouts (0/0 character devices) that mean nothing in a plain tree. */
    static void removeWhiteouts(Path fs) throws IOException {
        Files.walkFileTree(fs, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isOther()) {
                    var a = Files.readAttributes(file, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
                    if (((int) a.get("mode") & S_IFMT) == S_IFCHR && ((Number) a.get("rdev")).longValue() == 0) {
                        Files.delete(file);
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
