package io.ocimount.artifact;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names already used in an artifact's volume. A name is refused when it is used twice, or when it would
 * sit inside another layer's file or unpacked tree: so every parent directory the builder creates is its own,
 * and nothing is ever written through a symlink that a tar layer brought.
 */
final class NameClaims {
    private final Map<String, String> leaves = new HashMap<>();
    private final Set<String> parents = new HashSet<>();

    /** Claims {@code path} for {@code owner}; throws {@link LayerPlacement.BadName} naming the other owner. */
    void claim(List<String> path, String owner) {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < path.size() - 1; i++) {
            prefix.append(i == 0 ? "" : "/").append(path.get(i));
            String other = leaves.get(prefix.toString());
            if (other != null) {
                throw new LayerPlacement.BadName("name \"" + String.join("/", path) + "\" lies inside \"" + prefix
                        + "\" of " + other);
            }
        }
        String full = String.join("/", path);
        if (leaves.containsKey(full)) {
            throw new LayerPlacement.BadName("duplicate name \"" + full + "\", also used by " + leaves.get(full));
        }
        if (parents.contains(full)) {
            throw new LayerPlacement.BadName("duplicate name \"" + full + "\", already a directory of other layers");
        }
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < path.size() - 1; i++) {
            p.append(i == 0 ? "" : "/").append(path.get(i));
            parents.add(p.toString());
        }
        leaves.put(full, owner);
    }
}
