package io.ocimount.unpack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this layer has put into its (fresh, private) snapshot directory so far. Because nothing else writes
 * there, this map is the truth about the directory: parents are checked against it, so a symlink or file the
 * layer itself created can never be used as a path to somewhere else, with no lstat races.
 */
final class LayerTree {
    enum Kind { DIR, FILE, SYMLINK, WHITEOUT, SPECIAL }

    private final TreeMap<String, Kind> entries = new TreeMap<>();

    Kind get(String path) {
        return path.isEmpty() ? Kind.DIR : entries.get(path);
    }

    void put(String path, Kind kind) {
        entries.put(path, kind);
    }

    /** Forgets the path and, for a directory, everything under it. */
    void remove(String path) {
        entries.remove(path);
        entries.subMap(path + "/", path + "0").clear(); // '0' is the character after '/'
    }

    /** Directories in the order they were first sorted, deepest last: a stable order for deferred metadata. */
    List<String> directories() {
        List<String> dirs = new ArrayList<>();
        for (Map.Entry<String, Kind> e : entries.entrySet()) {
            if (e.getValue() == Kind.DIR) {
                dirs.add(e.getKey());
            }
        }
        return dirs;
    }
}
