package io.ocimount.pack;

import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Json;
import io.ocimount.oci.MediaTypes;
import io.ocimount.oci.Platform;
import java.io.IOException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs a directory as a single-layer image: one reproducible gzip layer, a config per platform that carries the
 * layer's diff_id (what containerd checks against the manifest), a manifest per platform, and an index over them
 * when more than one platform is asked for.
 */
final class ImagePacker {
    private ImagePacker() {
    }

    static Packed pack(Path source, List<Platform> platforms, long mtimeSeconds, BlobDir dir) throws IOException {
        List<SourceTree.Entry> entries = SourceTree.walk(source);
        java.security.MessageDigest diffSha = Digest.newSha256();
        Descriptor layer = dir.stream(MediaTypes.OCI_LAYER_GZIP, Map.of(), out -> {
            // a fixed gzip header (no name, mtime 0) and blocks cut at fixed offsets: the blob depends on the tar only
            try (var gz = new ParallelGzipOutputStream(out, Runtime.getRuntime().availableProcessors());
                 DigestOutputStream tar = new DigestOutputStream(new java.io.BufferedOutputStream(gz, 1 << 16), diffSha)) {
                ReproducibleTar.write(entries, mtimeSeconds, tar);
            }
        });
        Digest diffId = Digest.fromRaw(diffSha.digest());
        String created = Instant.ofEpochSecond(mtimeSeconds).toString();
        List<Descriptor> blobs = new ArrayList<>(List.of(layer));
        List<Descriptor> manifests = new ArrayList<>();
        for (Platform p : platforms) {
            Descriptor config = dir.write(MediaTypes.OCI_CONFIG, Json.MAPPER.writeValueAsBytes(config(p, diffId, created)),
                    Map.of(), null);
            blobs.add(config);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schemaVersion", 2);
            m.put("mediaType", MediaTypes.OCI_MANIFEST);
            m.put("config", OciJson.descriptor(config));
            m.put("layers", List.of(OciJson.descriptor(layer)));
            Descriptor manifest = dir.write(MediaTypes.OCI_MANIFEST, Json.MAPPER.writeValueAsBytes(m), Map.of(), null);
            manifests.add(new Descriptor(manifest.mediaType(), manifest.digest(), manifest.size(), p, Map.of(), null));
        }
        if (manifests.size() == 1) {
            return new Packed(manifests.get(0), blobs, List.of(), dir::file);
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", manifests.stream().map(OciJson::descriptor).toList());
        Descriptor top = dir.write(MediaTypes.OCI_INDEX, Json.MAPPER.writeValueAsBytes(index), Map.of(), null);
        return new Packed(top, blobs, manifests, dir::file);
    }

    private static Map<String, Object> config(Platform p, Digest diffId, String created) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("created", created);
        c.put("architecture", p.architecture());
        c.put("os", p.os());
        if (!p.variant().isEmpty()) {
            c.put("variant", p.variant());
        }
        c.put("config", new LinkedHashMap<>());
        c.put("rootfs", OciJson.ordered("type", "layers", "diff_ids", List.of(diffId.toString())));
        c.put("history", List.of(OciJson.ordered("created", created, "created_by", "ocimount pack")));
        return c;
    }
}
