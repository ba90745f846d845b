package io.ocimount.image;

import io.ocimount.content.JsonRecords;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Image records by id, one pretty-printed JSON file each under {@code meta/images/}, named by the id with ':' as
 * '-'. A tag names one image at a time: adding it to one image takes it from any other.
 */
public final class ImageStore {
    private final JsonRecords<ImageRecord> records;

    public ImageStore(Path root) {
        this.records = new JsonRecords<>(root.resolve("meta/images"), "image record", ImageRecord.class,
                r -> r.id().toString(), id -> id.replace(':', '-') + ".json", Json::write);
    }

    /** Stores {@code r}, merging names with a record of the same id and moving its tags away from other images. */
    public synchronized ImageRecord add(ImageRecord r) {
        for (ImageRecord other : records.list()) {
            if (other.id().equals(r.id())) {
                continue;
            }
            List<String> tags = new ArrayList<>(other.repoTags());
            if (tags.removeAll(r.repoTags())) {
                records.put(other.withNames(tags, other.repoDigests()));
            }
        }
        ImageRecord existing = records.get(r.id().toString());
        ImageRecord merged = existing == null ? r : existing.withNamesOf(r);
        records.put(merged);
        return merged;
    }

    /** Notes that the registry accepted {@code credentialHash} for the image, so the same caller is not asked again. */
    public synchronized void addPulledWith(Digest id, String credentialHash) {
        ImageRecord r = records.get(id.toString());
        if (r != null && !r.pulledWith().contains(credentialHash)) {
            records.put(r.withPulledWith(credentialHash));
        }
    }

    public synchronized Optional<ImageRecord> get(Digest id) {
        return Optional.ofNullable(records.get(id.toString()));
    }

    public synchronized List<ImageRecord> list() {
        return records.list();
    }

    public synchronized void remove(Digest id) {
        records.remove(id.toString());
    }

    /** Every blob any stored image holds. */
    public synchronized Set<Digest> referencedBlobs() {
        Set<Digest> out = new HashSet<>();
        records.list().forEach(r -> out.addAll(r.blobs()));
        return out;
    }
}
