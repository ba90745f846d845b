package io.ocimount.volume;

import io.ocimount.content.AtomicFiles;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Volume records, one JSON file each under {@code <state_dir>/volumes/}, named by the sha256 of the volume id
 * (ids are the caller's and may hold any character). The state directory is on tmpfs: a reboot clears the
 * records together with the mounts they describe.
 */
final class VolumeStore {
    private static final Logger LOG = Logger.getLogger(VolumeStore.class.getName());
    private final Path dir;
    private final Map<String, VolumeRecord> byId = new LinkedHashMap<>();

    VolumeStore(Path stateDir) {
        this.dir = stateDir.resolve("volumes");
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    if (f.getFileName().toString().startsWith(".")) {
                        Files.deleteIfExists(f);
                        continue;
                    }
                    try {
                        VolumeRecord r = Json.MAPPER.readValue(Files.readAllBytes(f), VolumeRecord.class);
                        byId.put(r.id(), r);
                    } catch (RuntimeException e) {
                        LOG.warning("skipping unreadable volume record " + f + ": " + e.getMessage());
                    }
                }
            }
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "load volume records from " + dir + ": " + e.getMessage(), e);
        }
    }

    private Path file(String id) {
        return dir.resolve(Digest.ofString(id).hex() + ".json");
    }

    synchronized VolumeRecord get(String id) {
        return byId.get(id);
    }

    synchronized List<VolumeRecord> list() {
        return new ArrayList<>(byId.values());
    }

    synchronized void put(VolumeRecord r) {
        try {
            AtomicFiles.write(file(r.id()), Json.MAPPER.writeValueAsString(r).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "write volume record " + r.id() + ": " + e.getMessage(), e);
        }
        byId.put(r.id(), r);
    }

    synchronized void remove(String id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "remove volume record " + id + ": " + e.getMessage(), e);
        }
        byId.remove(id);
    }
}
