package io.ocimount.policy;

import java.nio.file.Path;
import java.util.List;

/**
 * Where trust decisions come from: {@code policy.json_path} (a containers-policy.json; null: accept anything, as
 * before policies existed) and ocimount's own {@code [[policy.rules]]}.
 */
public record PolicySettings(Path jsonPath, List<ImageRule> rules) {

    public PolicySettings {
        rules = List.copyOf(rules);
    }

    public static PolicySettings defaults() {
        return new PolicySettings(null, List.of());
    }
}
