package io.ocimount.image;

import io.ocimount.oci.Digest;
import io.ocimount.ref.Reference;
import java.util.List;
import java.util.Optional;

/**
 * Finds an image the ways CRI callers name one: by id (with or without "sha256:"), by a unique id prefix of at
 * least 3 characters, by any tag or digest reference, and by an untagged name meaning ":latest".
 */
final class ImageLookup {
    private ImageLookup() {
    }

    static Optional<ImageRecord> find(List<ImageRecord> images, String query) {
        if (query == null || query.isBlank()) {
            return Optional.empty();
        }
        String q = query.trim();
        String full = Digest.isDigest(q) ? q : "sha256:" + q;
        Digest id = Digest.isDigest(full) ? Digest.parse(full) : null;
        if (id != null) {
            for (ImageRecord r : images) {
                if (r.id().equals(id)) {
                    return Optional.of(r);
                }
            }
        }
        Optional<ImageRecord> byName = byName(images, q);
        if (byName.isPresent()) {
            return byName;
        }
        return byIdPrefix(images, q);
    }

    private static Optional<ImageRecord> byName(List<ImageRecord> images, String q) {
        Reference ref;
        try {
            ref = Reference.parse(q);
        } catch (RuntimeException notAName) {
            return Optional.empty();
        }
        String name = ref.toString();
        for (ImageRecord r : images) {
            if (r.repoTags().contains(name) || r.repoDigests().contains(name)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private static Optional<ImageRecord> byIdPrefix(List<ImageRecord> images, String q) {
        String hex = q.startsWith("sha256:") ? q.substring(7) : q;
        if (hex.length() < 3 || !hex.matches("[a-f0-9]+")) {
            return Optional.empty();
        }
        ImageRecord found = null;
        for (ImageRecord r : images) {
            if (r.id().hex().startsWith(hex)) {
                if (found != null) {
                    return Optional.empty(); // ambiguous prefix names no image
                }
                found = r;
            }
        }
        return Optional.ofNullable(found);
    }
}
