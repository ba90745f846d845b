package io.ocimount.testkit;

import io.ocimount.oci.Digest;
import io.ocimount.oci.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds OCI artifacts in memory: the empty config, an artifactType, and layers with annotations. */
public final class ArtifactBuilder {
    public static final String TITLE = "org.opencontainers.image.title";
    private final List<ImageBuilder.Blob> layers = new ArrayList<>();
    private final List<Map<String, String>> annotations = new ArrayList<>();
    private String artifactType = "application/vnd.example.data";

    public ArtifactBuilder artifactType(String t) {
        artifactType = t;
        return this;
    }

    public ArtifactBuilder file(String title, String content) {
        return layer("application/octet-stream", content.getBytes(StandardCharsets.UTF_8), Map.of(TITLE, title));
    }

    public ArtifactBuilder layer(String mediaType, byte[] bytes, Map<String, String> annotations) {
        layers.add(ImageBuilder.blob(mediaType, bytes));
        this.annotations.add(annotations);
        return this;
    }

    public ImageBuilder.Image build() {
        ImageBuilder.Blob config = ImageBuilder.blob(MediaTypes.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8));
        StringBuilder m = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"");
        if (artifactType != null) {
            m.append(",\"artifactType\":\"").append(artifactType).append('"');
        }
        m.append(",\"config\":").append(config.descriptorJson()).append(",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            ImageBuilder.Blob l = layers.get(i);
            String d = l.descriptorJson();
            StringBuilder a = new StringBuilder();
            annotations.get(i).forEach((k, v) -> a.append(a.length() == 0 ? "" : ",").append(Json.quote(k)).append(':')
                    .append(Json.quote(v)));
            m.append(i == 0 ? "" : ",").append(d, 0, d.length() - 1)
                    .append(a.length() == 0 ? "" : ",\"annotations\":{" + a + "}").append('}');
        }
        m.append("]}");
        ImageBuilder.Blob manifest = ImageBuilder.blob(MediaTypes.OCI_MANIFEST, m.toString().getBytes(StandardCharsets.UTF_8));
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        blobs.put(config.digest(), config.bytes());
        layers.forEach(l -> blobs.put(l.digest(), l.bytes()));
        return new ImageBuilder.Image(manifest, config, List.copyOf(layers), blobs);
    }

    /** JSON string quoting enough for test names (quotes, backslashes, control bytes). */
    private static final class Json {
        static String quote(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.append('"').toString();
        }
    }
}
