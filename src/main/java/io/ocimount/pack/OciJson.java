package io.ocimount.pack;

import io.ocimount.oci.Descriptor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Descriptors as OCI JSON, fields in the spec's order so that packed manifests are byte-for-byte stable. */
final class OciJson {
    private OciJson() {
    }

    /** A JSON object with its keys in the order given (Map.of's order changes from one JVM run to the next). */
    static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    static Map<String, Object> descriptor(Descriptor d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mediaType", d.mediaType());
        m.put("digest", d.digest().toString());
        m.put("size", d.size());
        if (d.artifactType() != null) {
            m.put("artifactType", d.artifactType());
        }
        if (d.annotations() != null && !d.annotations().isEmpty()) {
            m.put("annotations", new TreeMap<>(d.annotations()));
        }
        if (d.platform() != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("architecture", d.platform().architecture());
            p.put("os", d.platform().os());
            if (!d.platform().variant().isEmpty()) {
                p.put("variant", d.platform().variant());
            }
            m.put("platform", p);
        }
        return m;
    }
}
