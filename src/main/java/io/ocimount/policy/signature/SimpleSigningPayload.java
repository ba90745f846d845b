package io.ocimount.policy.signature;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Json;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The payload cosign's simple signing format signs:
 * {@code {"critical":{"identity":{"docker-reference":…},"image":{"docker-manifest-digest":…},"type":…},"optional":…}}.
 * Read strictly, as containers/image does: a duplicate key, a missing or mistyped field, or an unknown field in
 * {@code critical} refuses it, since what {@code critical} says is what the signer vouched for. {@code optional}
 * is not looked at beyond being an object or null. The values are returned as written; the caller compares them.
 *
 * @param type            {@code critical.type}, "cosign container image signature" for cosign
 * @param manifestDigest  {@code critical.image.docker-manifest-digest}, as written (not yet known to be a digest)
 * @param dockerReference {@code critical.identity.docker-reference}, a repository as written
 */
record SimpleSigningPayload(String type, String manifestDigest, String dockerReference) {
    static final String COSIGN_TYPE = "cosign container image signature";
    private static final String WHAT = "simple signing payload";

    static SimpleSigningPayload parse(byte[] raw) {
        JsonNode root = Json.parse(raw, WHAT);
        only(root, Set.of("critical", "optional"), "");
        JsonNode optional = root.get("optional");
        if (optional != null && !optional.isNull() && !optional.isObject()) {
            throw OciMountException.invalid(WHAT + ": \"optional\" must be an object or null");
        }
        JsonNode critical = object(root, "critical", "");
        only(critical, Set.of("identity", "image", "type"), "critical.");
        JsonNode identity = object(critical, "identity", "critical.");
        only(identity, Set.of("docker-reference"), "critical.identity.");
        JsonNode image = object(critical, "image", "critical.");
        only(image, Set.of("docker-manifest-digest"), "critical.image.");
        return new SimpleSigningPayload(Json.text(critical, "type", WHAT),
                Json.text(image, "docker-manifest-digest", WHAT), Json.text(identity, "docker-reference", WHAT));
    }

    private static JsonNode object(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isObject()) {
            throw OciMountException.invalid(WHAT + ": \"" + path + field + "\" must be an object");
        }
        return node;
    }

    /** Refuses a field not in {@code known}, without naming it: the name is the signer's text. */
    private static void only(JsonNode node, Set<String> known, String path) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!known.contains(e.getKey())) {
                throw OciMountException.invalid(WHAT + ": " + (path.isEmpty() ? "the top level" : "\"" + path
                        .substring(0, path.length() - 1) + "\"") + " has an unknown field");
            }
        }
    }
}
