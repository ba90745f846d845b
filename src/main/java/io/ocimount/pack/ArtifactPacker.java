package io.ocimount.pack;

import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Json;
import io.ocimount.oci.MediaTypes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs the files of a directory as an OCI artifact: the empty config, {@code artifactType} set, and one layer per
 * regular file titled with its path, so an artifact volume shows the same tree. Directories come back as the
 * parents of their files; links and special files are refused rather than silently dropped.
 */
final class ArtifactPacker {
    static final String DEFAULT_TYPE = "application/vnd.ocimount.files.v1";
    static final String LAYER_TYPE = "application/octet-stream";
    private static final byte[] EMPTY = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private ArtifactPacker() {
    }

    static Packed pack(Path source, String artifactType, BlobDir dir) throws IOException {
        List<Descriptor> layers = new ArrayList<>();
        for (SourceTree.Entry e : SourceTree.walk(source)) {
            if (e.kind() == SourceTree.Kind.SYMLINK) {
                throw new IOException(e.source() + ": symlinks cannot be packed into an artifact (one layer per file)");
            }
            if (e.kind() == SourceTree.Kind.FILE || e.kind() == SourceTree.Kind.HARDLINK) { // a second name: same blob
                Descriptor d = dir.adopt(LAYER_TYPE, Map.of("org.opencontainers.image.title", e.path()), e.source());
                layers.add(d);
            }
        }
        if (layers.isEmpty()) {
            throw new IOException(source + " holds no files to pack");
        }
        Descriptor config = dir.write(MediaTypes.OCI_EMPTY, EMPTY, Map.of(), null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("artifactType", artifactType);
        m.put("config", OciJson.descriptor(config));
        m.put("layers", layers.stream().map(OciJson::descriptor).toList());
        Descriptor top = dir.write(MediaTypes.OCI_MANIFEST, Json.MAPPER.writeValueAsBytes(m), Map.of(), artifactType);
        List<Descriptor> blobs = new ArrayList<>(layers);
        blobs.add(config);
        return new Packed(top, dedupe(blobs), List.of(), dir::file);
    }

    /** Two files with the same bytes are one blob. */
    private static List<Descriptor> dedupe(List<Descriptor> blobs) {
        Map<Digest, Descriptor> seen = new LinkedHashMap<>();
        blobs.forEach(b -> seen.putIfAbsent(b.digest(), b));
        return List.copyOf(seen.values());
    }
}
