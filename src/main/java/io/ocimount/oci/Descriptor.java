package io.ocimount.oci;

import io.ocimount.errdefs.OciMountException;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** An OCI content descriptor: what a blob is, how big, and its digest. */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform,
                         Map<String, String> annotations, String artifactType) {

    public Descriptor {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        if (size < 0) {
            throw OciMountException.invalid("descriptor " + digest + ": negative size " + size);
        }
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, null, Map.of(), null);
    }

    static Descriptor fromJson(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw OciMountException.invalid(what + ": descriptor must be an object");
        }
        String mediaType = Json.text(node, "mediaType", what);
        Digest digest = Digest.parse(Json.text(node, "digest", what));
        long size = Json.optLong(node, "size", -1, what);
        if (size < 0) {
            throw OciMountException.invalid(what + ": descriptor " + digest + " has no valid size");
        }
        JsonNode platform = node.get("platform");
        return new Descriptor(mediaType, digest, size,
                platform == null || platform.isNull() ? null : Platform.fromJson(platform, what),
                Json.stringMap(node, "annotations", what), Json.optText(node, "artifactType", what));
    }
}
