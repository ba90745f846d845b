package io.ocimount.pack;

import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Json;
import io.ocimount.oci.MediaTypes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * An OCI image layout directory: {@code oci-layout}, {@code index.json} and the blobs. A pack adds its top
 * object to index.json under {@code org.opencontainers.image.ref.name} (the tag, as skopeo's {@code oci:PATH:TAG}
 * reads it), replacing an entry of the same name and keeping the others.
 */
final class OciLayout {
    static final String REF_NAME = "org.opencontainers.image.ref.name";

    private OciLayout() {
    }

    static void tag(Path layout, Descriptor top, String refName) throws IOException {
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        List<Object> manifests = new ArrayList<>();
        Path indexFile = layout.resolve("index.json");
        if (Files.exists(indexFile)) {
            JsonNode old = Json.parse(Files.readAllBytes(indexFile), indexFile.toString());
            for (JsonNode m : old.path("manifests")) {
                if (!refName.equals(m.path("annotations").path(REF_NAME).asString(""))) {
                    manifests.add(m);
                }
            }
        }
        Map<String, Object> entry = OciJson.descriptor(new Descriptor(top.mediaType(), top.digest(), top.size(), null,
                Map.of(REF_NAME, refName), null));
        manifests.add(entry);
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", manifests);
        Path tmp = Files.createTempFile(layout, ".index-", ".json");
        Files.write(tmp, Json.MAPPER.writeValueAsString(index).getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, indexFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
