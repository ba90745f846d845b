package io.ocimount.pack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The entries of a directory to pack, in a fixed order (byte order of their names, parents first) with only
 * what an image volume needs: kind, executable or not, size and link target. Owners, times and other mode bits
 * are dropped so the same content always packs to the same bytes.
 */
public final class SourceTree {
    public enum Kind { DIR, FILE, SYMLINK, HARDLINK }

    /**
     * @param path       relative, '/'-separated; {@code executable} is true when any execute bit was set
     * @param linkTarget a symlink's target, or for a HARDLINK the path of the first name of the same file
     */
    public record Entry(String path, Kind kind, boolean executable, long size, String linkTarget, Path source) {
    }

    private SourceTree() {
    }

    public static List<Entry> walk(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + " is not a directory");
        }
        List<Entry> out = new ArrayList<>();
        walk(root, root, out, new java.util.HashMap<>());
        return out;
    }

    /** @param firstNames the path first seen for each file with several names, so later names become hard links */
    private static void walk(Path root, Path dir, List<Entry> out, java.util.Map<Object, String> firstNames)
            throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted((a, b) -> compareBytes(a.getFileName().toString(), b.getFileName().toString())).toList();
        }
        for (Path p : children) {
            String rel = root.relativize(p).toString().replace('\\', '/');
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                out.add(new Entry(rel, Kind.SYMLINK, false, 0, Files.readSymbolicLink(p).toString(), p));
            } else if (a.isDirectory()) {
                out.add(new Entry(rel, Kind.DIR, true, 0, null, p));
                walk(root, p, out, firstNames);
            } else if (a.isRegularFile()) {
                boolean exec = a.permissions().contains(PosixFilePermission.OWNER_EXECUTE)
                        || a.permissions().contains(PosixFilePermission.GROUP_EXECUTE)
                        || a.permissions().contains(PosixFilePermission.OTHERS_EXECUTE);
                String first = (int) Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS) > 1
                        ? firstNames.putIfAbsent(a.fileKey(), rel) : null;
                out.add(first != null ? new Entry(rel, Kind.HARDLINK, exec, 0, first, p)
                        : new Entry(rel, Kind.FILE, exec, a.size(), null, p));
            } else {
                throw new IOException(p + ": not a file, directory or symlink (devices, sockets and fifos are not packed)");
            }
        }
    }

    static int compareBytes(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
