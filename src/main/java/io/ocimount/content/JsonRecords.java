package io.ocimount.content;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Records of one type, one JSON file each in a directory, held in memory and written atomically ({@link AtomicFiles}),
 * so a crash leaves the old record or the new. At load, temp files of interrupted writes ({@code .}-prefixed) are
 * deleted and a file that does not parse is skipped with a warning rather than stopping the daemon.
 *
 * @param <T> the record type, read with {@link Json#MAPPER}
 */
public final class JsonRecords<T> {
    private static final Logger LOG = Logger.getLogger(JsonRecords.class.getName());
    private final Path dir;
    private final String what;
    private final Function<T, String> idOf;
    private final Function<String, String> fileNameOf;
    private final Function<T, byte[]> encode;
    private final Map<String, T> byId = new LinkedHashMap<>();

    /**
     * Loads every record in {@code dir}, creating it if needed.
     *
     * @param what       names a record in messages: "image record"
     * @param fileNameOf a record's file name from its id
     * @param encode     a record's bytes as stored (each store keeps the format its files have always had)
     */
    public JsonRecords(Path dir, String what, Class<T> type, Function<T, String> idOf,
                       Function<String, String> fileNameOf, Function<T, byte[]> encode) {
        this.dir = dir;
        this.what = what;
        this.idOf = idOf;
        this.fileNameOf = fileNameOf;
        this.encode = encode;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    load(f, type);
                }
            }
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "load " + what + "s from " + dir + ": " + e.getMessage(), e);
        }
    }

    private void load(Path f, Class<T> type) throws IOException {
        if (f.getFileName().toString().startsWith(".")) {
            Files.deleteIfExists(f); // a temp file from a write that a crash interrupted
            return;
        }
        try {
            T r = Json.MAPPER.readValue(Files.readAllBytes(f), type);
            byId.put(idOf.apply(r), r);
        } catch (RuntimeException e) {
            LOG.warning("skipping unreadable " + what + " " + f + ": " + e.getMessage());
        }
    }

    public synchronized T get(String id) {
        return byId.get(id);
    }

    /** In the order they were loaded, then stored. */
    public synchronized List<T> list() {
        return new ArrayList<>(byId.values());
    }

    /** Writes {@code r} over any record of the same id. */
    public synchronized void put(T r) {
        String id = idOf.apply(r);
        try {
            AtomicFiles.write(file(id), encode.apply(r));
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "write " + what + " " + id + ": " + e.getMessage(), e);
        }
        byId.put(id, r);
    }

    /** Deletes the record's file, then forgets it; an unknown id is not an error. */
    public synchronized void remove(String id) {
        try {
            Files.deleteIfExists(file(id));
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "remove " + what + " " + id + ": " + e.getMessage(), e);
        }
        byId.remove(id);
    }

    private Path file(String id) {
        return dir.resolve(fileNameOf.apply(id));
    }
}
