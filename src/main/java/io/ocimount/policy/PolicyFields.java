package io.ocimount.policy;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Typed access to the nodes of one policy file, where every refusal reads
 * {@code policy <file>: <json path>: <why>}. A value of the wrong type is described by its JSON type, never quoted,
 * so a key put in the wrong field does not reach a log.
 */
final class PolicyFields {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-]+");
    private final String file;

    PolicyFields(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    OciMountException bad(String path, String why) {
        return OciMountException.invalid("policy " + file + ": " + (path.isEmpty() ? "" : path + ": ") + why);
    }

    /** {@code path.name}, the name quoted when it is not a plain word. */
    static String field(String path, String name) {
        String shown = PLAIN.matcher(name).matches() ? name : Quote.of(name);
        return path.isEmpty() ? shown : path + "." + shown;
    }

    /** {@code path."key"}: a map key, always quoted (a scope such as "quay.io/x"). */
    static String key(String path, String key) {
        return path + "." + Quote.of(key);
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    JsonNode object(JsonNode node, String path) {
        if (node == null) {
            throw bad(path, "is required (an object)");
        }
        if (!node.isObject()) {
            throw bad(path, "must be an object, not " + kind(node));
        }
        return node;
    }

    /** A list with at least one entry. */
    JsonNode nonEmptyArray(JsonNode node, String path, String of) {
        if (node == null) {
            throw bad(path, "is required (a list of " + of + ")");
        }
        if (!node.isArray()) {
            throw bad(path, "must be a list of " + of + ", not " + kind(node));
        }
        if (node.isEmpty()) {
            throw bad(path, "must not be an empty list");
        }
        return node;
    }

    /** A string that is not empty. */
    String string(JsonNode node, String path) {
        if (node == null) {
            throw bad(path, "is required (a string)");
        }
        if (!node.isString()) {
            throw bad(path, "must be a string, not " + kind(node));
        }
        if (node.stringValue().isEmpty()) {
            throw bad(path, "must not be empty");
        }
        return node.stringValue();
    }

    /** A list of at least one non-empty string. */
    List<String> strings(JsonNode node, String path) {
        nonEmptyArray(node, path, "strings");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(string(node.get(i), index(path, i)));
        }
        return out;
    }

    /**
     * Refuses the first field of {@code node} not in {@code known}; {@code hint} may say more of a field ocimount
     * knows but does not support (null when it has nothing to add).
     */
    void onlyFields(JsonNode node, String path, Set<String> known, Function<String, String> hint) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!known.contains(e.getKey())) {
                String more = hint.apply(e.getKey());
                throw bad(field(path, e.getKey()), more != null ? more : "is not a known field");
            }
        }
    }

    /** The JSON type of {@code node}, for messages. */
    static String kind(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isString()) {
            return "a string";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return node.isNumber() ? "a number" : "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
