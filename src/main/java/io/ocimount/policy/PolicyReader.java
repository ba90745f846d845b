package io.ocimount.policy;

import io.ocimount.errdefs.Quote;
import io.ocimount.oci.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;

/**
 * The top level of containers-policy.json: {@code default} and {@code transports.docker}. Other transports are
 * refused by name, since ocimount pulls only from registries and a rule it never applies would be a rule the
 * administrator wrongly believes in.
 */
final class PolicyReader {
    private static final Set<String> TOP_FIELDS = Set.of("default", "transports");
    static final String DOCKER = "docker";
    private final PolicyFields fields;
    private final RequirementReader requirements;

    PolicyReader(String file) {
        this.fields = new PolicyFields(file);
        this.requirements = new RequirementReader(fields);
    }

    ContainersPolicy read(byte[] json) {
        JsonNode root;
        try {
            root = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json);
        } catch (JacksonException e) {
            // only where: the parser's message quotes the text, and keyData is in it
            String why = String.valueOf(e.getOriginalMessage()).startsWith("Duplicate") ? "a duplicate key" : "not valid JSON";
            throw fields.bad("", why + Json.where(e));
        }
        if (root == null || root.isMissingNode()) {
            throw fields.bad("", "is empty");
        }
        fields.object(root, "(top level)");
        fields.onlyFields(root, "", TOP_FIELDS, f -> null);
        List<Requirement> defaults = requirements.readList(root.get("default"), "default");
        Map<String, List<Requirement>> docker = new LinkedHashMap<>();
        JsonNode transports = root.get("transports");
        if (transports != null) {
            fields.object(transports, "transports");
            for (Map.Entry<String, JsonNode> t : transports.properties()) {
                String at = PolicyFields.field("transports", t.getKey());
                if (!t.getKey().equals(DOCKER)) {
                    throw fields.bad(at, "the " + Quote.of(t.getKey()) + " transport is not supported by ocimount:"
                            + " it pulls only from registries, whose scopes go under transports.docker");
                }
                docker.putAll(scopes(fields.object(t.getValue(), at), at));
            }
        }
        return new ContainersPolicy(defaults, docker);
    }

    private Map<String, List<Requirement>> scopes(JsonNode node, String path) {
        Map<String, List<Requirement>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> s : node.properties()) {
            String at = PolicyFields.key(path, s.getKey());
            if (!s.getKey().isEmpty()) {
                String why = Scopes.whyInvalid(s.getKey());
                if (why != null) {
                    throw fields.bad(at, "is not a valid scope: " + why);
                }
            }
            out.put(s.getKey(), requirements.readList(s.getValue(), at));
        }
        return out;
    }
}
