package io.ocimount.image;

import io.ocimount.content.JsonRecords;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Image records by id, one pretty-printed JSON file each under {@code meta/images/}, named by the id with ':' as
 * '-'. A tag names one image at a time: adding it to one image takes it from any other. The last use of each
 * image (pull or mount) is kept exactly in memory and written into its record when the written one is more than
 * {@link #WRITE_LAST_USE_AFTER_MILLIS} old, so a mount costs no disk write and a restart loses at most that much.
 */
public final class ImageStore {
    static final long WRITE_LAST_USE_AFTER_MILLIS = 5 * 60_000L;
    private final JsonRecords<ImageRecord> records;
    private final Map<Digest, Long> lastUsed = new HashMap<>();

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
        lastUsed.remove(id);
    }

    /** Records that the image was used (pulled or mounted) at {@code nowMillis}; an unknown id is ignored. */
    public synchronized void touch(Digest id, long nowMillis) {
        ImageRecord r = records.get(id.toString());
        if (r == null) {
            return;
        }
        lastUsed.merge(id, nowMillis, Math::max);
        if (nowMillis - r.lastUsedMillis() >= WRITE_LAST_USE_AFTER_MILLIS) {
            records.put(r.withLastUsed(nowMillis));
        }
    }

    /** The image's last pull or mount in epoch milliseconds, 0 when none is known (a record from an older release). */
    public synchronized long lastUsed(ImageRecord r) {
        return Math.max(lastUsed.getOrDefault(r.id(), 0L), r.lastUsedMillis());
    }

    /** Every blob any stored image holds. */
    public synchronized Set<Digest> referencedBlobs() {
        Set<Digest> out = new HashSet<>();
        records.list().forEach(r -> out.addAll(r.blobs()));
        return out;
    }
}
