package io.ocimount.volume;

import io.ocimount.content.JsonRecords;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Json;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Volume records, one compact JSON file each under {@code <state_dir>/volumes/}, named by the sha256 of the volume
 * id (ids are the caller's and may hold any character). The state directory is on tmpfs: a reboot clears the
 * records together with the mounts they describe.
 */
public final class VolumeStore {
    private final JsonRecords<VolumeRecord> records;

    public VolumeStore(Path stateDir) {
        this.records = new JsonRecords<>(stateDir.resolve("volumes"), "volume record", VolumeRecord.class,
                VolumeRecord::id, id -> Digest.ofString(id).hex() + ".json", Json.MAPPER::writeValueAsBytes);
    }

    /** The layers every recorded volume uses, so garbage collection keeps them while the image's names are gone. */
    public Set<Digest> chainIdsInUse() {
        Set<Digest> pins = new HashSet<>();
        records.list().forEach(r -> pins.addAll(r.chainIds()));
        return pins;
    }

    /** The images recorded volumes were mounted from, which image garbage collection leaves alone. */
    public Set<Digest> imageIdsInUse() {
        Set<Digest> ids = new HashSet<>();
        records.list().stream().filter(r -> r.imageId() != null).forEach(r -> ids.add(r.imageId()));
        return ids;
    }

    VolumeRecord get(String id) {
        return records.get(id);
    }

    List<VolumeRecord> list() {
        return records.list();
    }

    void put(VolumeRecord r) {
        records.put(r);
    }

    void remove(String id) {
        records.remove(id);
    }
}
