package io.ocimount.policy.signature;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * An in-toto Statement v1, the payload of the envelope cosign v3 signs: what it is ({@code predicateType}) and
 * which artifacts it is about ({@code subject[].digest.sha256}). The predicate itself is not read.
 *
 * @param type          {@code _type}, as written
 * @param predicateType {@code predicateType}, as written
 * @param sha256s       every subject's {@code digest.sha256}, as written (subjects without one are left out)
 */
record InTotoStatement(String type, String predicateType, List<String> sha256s) {
    static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
    static final String TYPE_V1 = "https://in-toto.io/Statement/v1";
    static final String COSIGN_SIGN = "https://sigstore.dev/cosign/sign/v1";
    private static final String WHAT = "in-toto statement";

    static InTotoStatement parse(byte[] raw) {
        JsonNode root = Json.parse(raw, WHAT);
        String type = Json.text(root, "_type", WHAT);
        String predicateType = Json.text(root, "predicateType", WHAT);
        JsonNode subjects = root.get("subject");
        if (subjects == null || !subjects.isArray()) {
            throw OciMountException.invalid(WHAT + ": \"subject\" must be an array");
        }
        List<String> sha256s = new ArrayList<>();
        for (int i = 0; i < subjects.size(); i++) {
            JsonNode s = subjects.get(i);
            String what = WHAT + " subject[" + i + "]";
            if (!s.isObject()) {
                throw OciMountException.invalid(what + " must be an object");
            }
            Json.optText(s, "name", what);
            String sha256 = Json.stringMap(s, "digest", what).get("sha256");
            if (sha256 != null) {
                sha256s.add(sha256);
            }
        }
        return new InTotoStatement(type, predicateType, List.copyOf(sha256s));
    }
}
