package io.ocimount.mount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The mount table as {@code /proc/self/mountinfo} shows it (proc(5)); paths have their octal escapes undone. */
public final class MountInfo {
    /** One line: {@code root} is the path inside the source file system that is mounted at {@code mountPoint}. */
    public record Entry(int id, int parentId, String device, String root, String mountPoint, String options,
                       String fsType, String source) {
    }

    private MountInfo() {
    }

    public static List<Entry> read() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            throw new UncheckedIOException("read /proc/self/mountinfo", e);
        }
    }

    static List<Entry> parse(List<String> lines) {
        List<Entry> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            int dash = java.util.Arrays.asList(f).indexOf("-");
            if (f.length < 10 || dash < 6 || dash + 2 >= f.length) {
                continue;
            }
            out.add(new Entry(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], unescape(f[3]), unescape(f[4]), f[5],
                    f[dash + 1], unescape(f[dash + 2])));
        }
        return out;
    }

    /** The last (topmost) mount at {@code path}, if any. */
    public static Entry at(List<Entry> table, Path path) {
        String p = path.toString();
        Entry found = null;
        for (Entry e : table) {
            if (e.mountPoint().equals(p)) {
                found = e;
            }
        }
        return found;
    }

    /** The mount with this id (the first field of a line, statx's stx_mnt_id), or null when there is none. */
    public static Entry byId(List<Entry> table, long id) {
        return table.stream().filter(e -> e.id() == id).findFirst().orElse(null);
    }

    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
