package io.ocimount.cri;

import io.ocimount.image.ImageRecord;
import io.ocimount.oci.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import runtime.v1.Image;
import runtime.v1.ImageSpec;
import runtime.v1.Int64Value;

/** Image records as CRI {@link Image} messages. */
final class CriImages {
    private CriImages() {
    }

    /** @param pinned whether config gc.pinned names it: garbage collection never removes it */
    static Image toProto(ImageRecord r, boolean pinned) {
        Image.Builder b = Image.newBuilder()
                .setPinned(pinned)
                .setId(r.id().toString())
                .addAllRepoTags(r.repoTags())
                .addAllRepoDigests(r.repoDigests())
                .setSize(Math.max(1, r.size()))
                .setSpec(ImageSpec.newBuilder().setImage(r.id().toString()).build());
        String user = r.user() == null ? "" : r.user();
        int colon = user.indexOf(':');
        String name = colon >= 0 ? user.substring(0, colon) : user;
        if (!name.isEmpty()) {
            if (name.chars().allMatch(Character::isDigit)) {
                b.setUid(Int64Value.newBuilder().setValue(Long.parseLong(name)));
            } else {
                b.setUsername(name);
            }
        }
        return b.build();
    }

    /** The verbose ImageStatus "info" value: a JSON object, as crictl inspecti expects. */
    static String verboseInfo(ImageRecord r) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("target", r.target());
        info.put("manifest", r.manifest());
        info.put("config", r.config());
        info.put("mediaType", r.mediaType());
        info.put("platform", r.platform());
        if (r.isArtifact()) {
            info.put("artifactType", r.artifactType());
        }
        info.put("layers", r.layers());
        info.put("diffIds", r.diffIds());
        return new String(Json.MAPPER.writeValueAsBytes(info), java.nio.charset.StandardCharsets.UTF_8);
    }
}
