package io.ocimount.oci;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Parses a verified manifest or index. Refuses schema1, a mediaType field that contradicts Content-Type, and
 * documents that claim to be one kind but carry the other kind's fields (CVE-2021-41190).
 */
public final class ManifestParser {
    private ManifestParser() {
    }

    public static ManifestDocument parse(byte[] raw, String contentType, String what) {
        String served = MediaTypes.stripParameters(contentType);
        if (MediaTypes.isSchema1(served)) {
            throw schema1(what);
        }
        JsonNode root = Json.parse(raw, what);
        if (root.has("fsLayers") || Json.optLong(root, "schemaVersion", 2, what) == 1) {
            throw schema1(what);
        }
        String declared = Json.optText(root, "mediaType", what);
        if (declared != null && served != null && !served.isEmpty() && !isGeneric(served) && !declared.equals(served)) {
            throw OciMountException.invalid(what + ": mediaType \"" + declared
                    + "\" contradicts the registry's Content-Type \"" + served + "\"");
        }
        String mediaType = declared != null ? declared : served;
        if (mediaType == null || isGeneric(mediaType)) {
            mediaType = root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        }
        if (MediaTypes.isIndex(mediaType)) {
            if (root.has("layers") || root.has("config")) {
                throw OciMountException.invalid(what + ": declared as an index but carries \"layers\" or \"config\"");
            }
            return new Index(mediaType, descriptors(root, "manifests", what));
        }
        if (MediaTypes.isManifest(mediaType)) {
            if (root.has("manifests")) {
                throw OciMountException.invalid(what + ": declared as a manifest but carries \"manifests\"");
            }
            Descriptor config = Descriptor.fromJson(root.get("config"), what + " config");
            return new Manifest(mediaType, config, descriptors(root, "layers", what),
                    Json.optText(root, "artifactType", what), Json.stringMap(root, "annotations", what));
        }
        throw new OciMountException(ErrorKind.INVALID_ARGUMENT, what + ": unsupported manifest media type \"" + mediaType + "\"");
    }

    private static boolean isGeneric(String mediaType) {
        return "application/json".equals(mediaType) || "application/octet-stream".equals(mediaType);
    }

    private static List<Descriptor> descriptors(JsonNode root, String field, String what) {
        JsonNode array = root.get(field);
        List<Descriptor> out = new ArrayList<>();
        if (array == null || array.isNull()) {
            return out;
        }
        if (!array.isArray()) {
            throw OciMountException.invalid(what + ": \"" + field + "\" must be an array");
        }
        int i = 0;
        for (JsonNode node : array) {
            out.add(Descriptor.fromJson(node, what + " " + field + "[" + i++ + "]"));
        }
        return out;
    }

    private static OciMountException schema1(String what) {
        return OciMountException.invalid(what + ": Docker schema 1 manifests are not supported (deprecated format);"
                + " rebuild or re-push the image as OCI or Docker schema 2");
    }
}
