package io.ocimount.image;

import io.ocimount.content.AtomicFiles;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Image records by id, one JSON file each under {@code meta/images/}, written atomically so a crash leaves the
 * old record or the new. A tag names one image at a time: adding it to one image takes it from any other.
 */
public final class ImageStore {
    private static final Logger LOG = Logger.getLogger(ImageStore.class.getName());
    private final Path dir;
    private final Map<String, ImageRecord> byId = new LinkedHashMap<>();

    public ImageStore(Path root) {
        this.dir = root.resolve("meta/images");
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    load(f);
                }
            }
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "load image records from " + dir + ": " + e.getMessage(), e);
        }
    }

    private void load(Path f) throws IOException {
        String name = f.getFileName().toString();
        if (name.startsWith(".")) {
            Files.deleteIfExists(f); // a temp file from a write that a crash interrupted
            return;
        }
        try {
            ImageRecord r = Json.MAPPER.readValue(Files.readAllBytes(f), ImageRecord.class);
            byId.put(r.id(), r);
        } catch (RuntimeException e) {
            LOG.warning("skipping unreadable image record " + f + ": " + e.getMessage());
        }
    }

    /** Stores {@code r}, merging names with a record of the same id and moving its tags away from other images. */
    public synchronized ImageRecord add(ImageRecord r) {
        for (ImageRecord other : new ArrayList<>(byId.values())) {
            if (other.id().equals(r.id())) {
                continue;
            }
            List<String> tags = new ArrayList<>(other.repoTags());
            if (tags.removeAll(r.repoTags())) {
                save(other.withNames(tags, other.repoDigests()));
            }
        }
        ImageRecord existing = byId.get(r.id());
        ImageRecord merged = existing == null ? r : existing.withNamesOf(r);
        save(merged);
        return merged;
    }

    public synchronized Optional<ImageRecord> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public synchronized List<ImageRecord> list() {
        return new ArrayList<>(byId.values());
    }

    public synchronized void remove(String id) {
        if (byId.remove(id) == null) {
            return;
        }
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "remove image record " + id + ": " + e.getMessage(), e);
        }
    }

    /** Every blob any stored image holds. */
    public synchronized Set<String> referencedBlobs() {
        Set<String> out = new HashSet<>();
        byId.values().forEach(r -> out.addAll(r.blobs()));
        return out;
    }

    private void save(ImageRecord r) {
        try {
            AtomicFiles.write(file(r.id()), Json.write(r));
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "write image record " + r.id() + ": " + e.getMessage(), e);
        }
        byId.put(r.id(), r);
    }

    private Path file(String id) {
        return dir.resolve(id.replace(':', '-') + ".json");
    }
}
