package io.ocimount.oci;

import io.ocimount.errdefs.OciMountException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The parts of an image config ocimount uses: platform, default user and the layer diff_ids. */
public record ImageConfig(Platform platform, String user, List<Digest> diffIds) {

    public ImageConfig {
        diffIds = List.copyOf(diffIds);
    }

    public static ImageConfig parse(byte[] raw, String what) {
        JsonNode root = Json.parse(raw, what);
        JsonNode rootfs = root.get("rootfs");
        if (rootfs == null || !rootfs.isObject()) {
            throw OciMountException.invalid(what + ": missing \"rootfs\"");
        }
        String type = Json.text(rootfs, "type", what + " rootfs");
        if (!"layers".equals(type)) {
            throw OciMountException.invalid(what + ": rootfs.type is \"" + type + "\", only \"layers\" is defined");
        }
        JsonNode ids = rootfs.get("diff_ids");
        List<Digest> diffIds = new ArrayList<>();
        if (ids != null && !ids.isNull()) {
            if (!ids.isArray()) {
                throw OciMountException.invalid(what + ": rootfs.diff_ids must be an array");
            }
            for (JsonNode id : ids) {
                if (!id.isString()) {
                    throw OciMountException.invalid(what + ": rootfs.diff_ids holds a non-string");
                }
                diffIds.add(Digest.parse(id.stringValue()));
            }
        }
        String os = Json.optText(root, "os", what);
        String arch = Json.optText(root, "architecture", what);
        Platform platform = os == null || arch == null ? null : new Platform(os, arch, Json.optText(root, "variant", what));
        JsonNode config = root.get("config");
        String user = config != null && config.isObject() ? Json.optText(config, "User", what + " config") : null;
        return new ImageConfig(platform, user == null ? "" : user, diffIds);
    }
}
