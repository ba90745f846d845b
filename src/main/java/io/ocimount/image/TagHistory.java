package io.ocimount.image;

import io.ocimount.content.AtomicFiles;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;

/**
 * The digest each tag resolved to at its last pull, kept in {@code meta/tags.json} across restarts and RemoveImage,
 * so a tag that moves is noticed even when the image it named is gone. The least recently pulled tags are
 * forgotten beyond {@link #MAX_TAGS}. Written only when a tag is new or moves, which pulls of the same tags rarely do.
 */
final class TagHistory {
    private static final Logger LOG = Logger.getLogger(TagHistory.class.getName());
    static final int MAX_TAGS = 4096;
    private final Path file;
    private final int maxTags;
    private final LinkedHashMap<String, Digest> lastDigest = new LinkedHashMap<>(16, 0.75f, true);

    TagHistory(Path root) {
        this(root, MAX_TAGS);
    }

    TagHistory(Path root, int maxTags) {
        this.file = root.resolve("meta/tags.json");
        this.maxTags = maxTags;
        load();
    }

    /** Records that {@code tag} resolved to {@code now}; the digest it named before when that was another one. */
    synchronized Optional<Digest> resolved(String tag, Digest now) {
        Digest before = lastDigest.put(tag, now);
        if (now.equals(before)) {
            return Optional.empty();
        }
        while (lastDigest.size() > maxTags) {
            lastDigest.remove(lastDigest.keySet().iterator().next());
        }
        save();
        return Optional.ofNullable(before);
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            JsonNode root = Json.parse(Files.readAllBytes(file), file.toString());
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                if (e.getValue().isString() && Digest.isDigest(e.getValue().stringValue())) {
                    lastDigest.put(e.getKey(), Digest.parse(e.getValue().stringValue()));
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("tag history " + file + " unreadable, starting afresh: " + e.getMessage());
        }
    }

    private void save() {
        Map<String, String> out = new LinkedHashMap<>();
        lastDigest.forEach((tag, digest) -> out.put(tag, digest.toString()));
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, Json.MAPPER.writeValueAsBytes(out));
        } catch (IOException e) {
            LOG.warning("tag history: cannot write " + file + ": " + e.getMessage());
        }
    }
}
