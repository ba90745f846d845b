package io.ocimount.testkit;

import io.airlift.compress.zstd.ZstdOutputStream;
import io.ocimount.oci.Digest;
import io.ocimount.oci.MediaTypes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Builds small images in memory: gzip layers from file maps, a config with matching diff_ids, a manifest. */
public final class ImageBuilder {
    /** A built blob: its bytes and digest. */
    public record Blob(String mediaType, byte[] bytes, Digest digest) {
        public String descriptorJson() {
            return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + bytes.length + "}";
        }
    }

    /** A whole image: every blob by digest, the manifest, and the config. */
    public record Image(Blob manifest, Blob config, List<Blob> layers, Map<Digest, byte[]> blobs) {
    }

    /** A layer as it will be served: the blob, its media type and the diff_id the config will claim. */
    private record LayerSpec(byte[] blob, String mediaType, Digest diffId) {
    }

    private final List<LayerSpec> layers = new ArrayList<>();
    private String user = "";
    private String arch = "amd64";
    private Integer diffIdCount;

    public ImageBuilder layer(Map<String, String> files) {
        return layer(tar(files));
    }

    /** A gzip layer from tar bytes (a {@link TarBuilder} result), with its true diff_id. */
    public ImageBuilder layer(byte[] tar) {
        return layer(gzip(tar), MediaTypes.OCI_LAYER_GZIP, Digest.of(tar));
    }

    /** Any blob under any media type, with whatever diff_id the config should claim for it. */
    public ImageBuilder layer(byte[] blob, String mediaType, Digest diffId) {
        layers.add(new LayerSpec(blob, mediaType, diffId));
        return this;
    }

    public ImageBuilder user(String u) {
        user = u;
        return this;
    }

    public ImageBuilder arch(String a) {
        arch = a;
        return this;
    }

    /** Declares a different number of diff_ids than there are layers. */
    public ImageBuilder diffIdCount(int n) {
        diffIdCount = n;
        return this;
    }

    public Image build() {
        List<Blob> built = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (LayerSpec l : layers) {
            diffIds.add("\"" + l.diffId() + "\"");
            built.add(blob(l.mediaType(), l.blob()));
        }
        if (diffIdCount != null) {
            while (diffIds.size() > diffIdCount) {
                diffIds.remove(diffIds.size() - 1);
            }
            while (diffIds.size() < diffIdCount) {
                diffIds.add("\"" + Digest.ofString("extra" + diffIds.size()) + "\"");
            }
        }
        String config = "{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{\"User\":\"" + user
                + "\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + String.join(",", diffIds) + "]}}";
        Blob cfg = blob(MediaTypes.OCI_CONFIG, config.getBytes(StandardCharsets.UTF_8));
        StringBuilder m = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":" + cfg.descriptorJson() + ",\"layers\":[");
        for (int i = 0; i < built.size(); i++) {
            m.append(i > 0 ? "," : "").append(built.get(i).descriptorJson());
        }
        m.append("]}");
        Blob manifest = blob(MediaTypes.OCI_MANIFEST, m.toString().getBytes(StandardCharsets.UTF_8));
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        blobs.put(cfg.digest(), cfg.bytes());
        built.forEach(b -> blobs.put(b.digest(), b.bytes()));
        blobs.put(manifest.digest(), manifest.bytes());
        return new Image(manifest, cfg, built, blobs);
    }

    /** An index pointing at images, one per platform string "os/arch". */
    public static Blob index(Map<String, Image> byPlatform) {
        StringBuilder s = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[");
        int i = 0;
        for (Map.Entry<String, Image> e : byPlatform.entrySet()) {
            String[] p = e.getKey().split("/");
            Blob m = e.getValue().manifest();
            s.append(i++ > 0 ? "," : "").append("{\"mediaType\":\"").append(m.mediaType()).append("\",\"digest\":\"")
                    .append(m.digest()).append("\",\"size\":").append(m.bytes().length).append(",\"platform\":{\"os\":\"")
                    .append(p[0]).append("\",\"architecture\":\"").append(p[1]).append("\"}}");
        }
        s.append("]}");
        return blob(MediaTypes.OCI_INDEX, s.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static Blob blob(String mediaType, byte[] bytes) {
        return new Blob(mediaType, bytes, Digest.of(bytes));
    }

    public static byte[] tar(Map<String, String> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] data = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(data.length);
                e.setMode(0644);
                tar.putArchiveEntry(e);
                tar.write(data);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] gzip(byte[] data) {
        return compressed(data, GZIPOutputStream::new);
    }

    public static byte[] zstd(byte[] data) {
        return compressed(data, ZstdOutputStream::new);
    }

    private interface Compressor {
        OutputStream over(OutputStream out) throws IOException;
    }

    private static byte[] compressed(byte[] data, Compressor compressor) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = compressor.over(out)) {
            c.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
