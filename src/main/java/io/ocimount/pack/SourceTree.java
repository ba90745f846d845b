package io.ocimount.pack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The entries of a directory to pack, in a fixed order (byte order of their names, parents first) with only
 * what an image volume needs: kind, executable or not, size and link target. Owners, times and other mode bits
 * are dropped so the same content always packs to the same bytes.
 */
public final class SourceTree {
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
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
        walk(root, root, out, new HashMap<>());
        return out;
    }

    /** @param firstNames the path first seen for each file with several names, so later names become hard links */
    private static void walk(Path root, Path dir, List<Entry> out, Map<Object, String> firstNames) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.map(p -> Map.entry(p.getFileName().toString().getBytes(StandardCharsets.UTF_8), p))
                    .sorted((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey())).map(Map.Entry::getValue).toList();
        }
        for (Path p : children) {
            String rel = root.relativize(p).toString().replace('\\', '/');
            // one stat per entry gives the type, the execute bits, the size and the link count
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,nlink,fileKey", LinkOption.NOFOLLOW_LINKS);
            int mode = (int) a.get("mode");
            switch (mode & S_IFMT) {
                case S_IFLNK -> out.add(new Entry(rel, Kind.SYMLINK, false, 0, Files.readSymbolicLink(p).toString(), p));
                case S_IFDIR -> {
                    out.add(new Entry(rel, Kind.DIR, true, 0, null, p));
                    walk(root, p, out, firstNames);
                }
                case S_IFREG -> {
                    boolean exec = (mode & 0111) != 0;
                    String first = (int) a.get("nlink") > 1 ? firstNames.putIfAbsent(a.get("fileKey"), rel) : null;
                    out.add(first != null ? new Entry(rel, Kind.HARDLINK, exec, 0, first, p)
                            : new Entry(rel, Kind.FILE, exec, (long) a.get("size"), null, p));
                }
                default -> throw new IOException(p + ": not a file, directory or symlink (devices, sockets and fifos are "
                        + "not packed)");
            }
        }
    }
}
