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
 * Packs directories as an image: one reproducible gzip layer per directory, a config per platform that carries the
 * layers' diff_ids (what containerd checks against the manifest) and how to run the image, a manifest per
 * platform, and an index over them when more than one platform is asked for. Each layer depends only on its own
 * directory, so a rebuild with one directory changed reuses the other layers' blobs.
 */
final class ImagePacker {
    private ImagePacker() {
    }

    static Packed pack(List<LayerSource> sources, List<Platform> platforms, long mtimeSeconds, RunConfig run, GzipEngine gzip,
            BlobDir dir)
            throws IOException {
        checkPlatformLayers(sources, platforms);
        List<Descriptor> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (LayerSource source : sources) {
            List<SourceTree.Entry> entries = SourceTree.walk(source.dir());
            java.security.MessageDigest diffSha = Digest.newSha256();
            layers.add(dir.stream(MediaTypes.OCI_LAYER_GZIP, Map.of(), out -> {
                // fixed gzip headers (no name, mtime 0) and blocks cut at fixed offsets: the blob depends on the tar only
                try (var gz = new ParallelGzipOutputStream(out, Runtime.getRuntime().availableProcessors(), gzip);
                     DigestOutputStream tar = new DigestOutputStream(gz, diffSha)) { // the tar writes 10 KiB records
                    ReproducibleTar.write(entries, mtimeSeconds, tar);
                }
            }));
            diffIds.add(Digest.fromRaw(diffSha.digest()).toString());
        }
        String created = Instant.ofEpochSecond(mtimeSeconds).toString();
        // two identical directories are one blob, listed twice in the manifest but pushed once
        List<Descriptor> blobs = new ArrayList<>(layers.stream().distinct().toList());
        List<Descriptor> manifests = new ArrayList<>();
        for (Platform p : platforms) {
            List<Descriptor> own = new ArrayList<>();
            List<String> ownDiffIds = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                if (sources.get(i).appliesTo(p)) {
                    own.add(layers.get(i));
                    ownDiffIds.add(diffIds.get(i));
                }
            }
            byte[] json = Json.MAPPER.writeValueAsBytes(config(p, ownDiffIds, run, created));
            Descriptor config = dir.write(MediaTypes.OCI_CONFIG, json, Map.of(), null);
            blobs.add(config);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schemaVersion", 2);
            m.put("mediaType", MediaTypes.OCI_MANIFEST);
            m.put("config", OciJson.descriptor(config));
            m.put("layers", own.stream().map(OciJson::descriptor).toList());
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

    /** Every platform's layer must name a platform being built, and every platform needs a layer. */
    private static void checkPlatformLayers(List<LayerSource> sources, List<Platform> platforms) {
        for (LayerSource s : sources) {
            if (s.platform() != null && !platforms.contains(s.platform())) {
                // a directory named like os/arch=x was read as a platform: say how to give it as a path
                String asPath = s.text() == null ? "" : ", or write ./" + s.text() + " for a directory whose name contains '='";
                throw new IllegalArgumentException("--layer " + s + ": " + s.platform() + " is not among the platforms "
                        + "being built " + platforms + " (add --platform " + s.platform() + asPath + ")");
            }
        }
        for (Platform p : platforms) {
            if (sources.stream().noneMatch(s -> s.appliesTo(p))) {
                throw new IllegalArgumentException("--platform " + p + " has no layer: give a --layer for every platform "
                        + "or one without a platform");
            }
        }
    }

    /** One history entry per layer, all alike, as image tools expect one per non-empty layer. */
    private static Map<String, Object> config(Platform p, List<String> diffIds, RunConfig run, String created) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("created", created);
        c.put("architecture", p.architecture());
        c.put("os", p.os());
        if (!p.variant().isEmpty()) {
            c.put("variant", p.variant());
        }
        c.put("config", run.toJson());
        c.put("rootfs", OciJson.ordered("type", "layers", "diff_ids", diffIds));
        c.put("history", diffIds.stream().map(d -> OciJson.ordered("created", created, "created_by", "ocimount pack"))
                .toList());
        return c;
    }
}
