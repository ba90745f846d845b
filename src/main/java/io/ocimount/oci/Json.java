package io.ocimount.oci;

import io.ocimount.errdefs.OciMountException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Strict JSON reading for documents whose digest we verify: duplicate keys are refused because two parsers
 * could read different values from the same hashed bytes. Typed getters give errors that name the field.
 */
public final class Json {
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    public static JsonNode parse(byte[] raw, String what) {
        try {
            JsonNode node = MAPPER.readTree(raw);
            if (node == null || !node.isObject()) {
                throw OciMountException.invalid("parse " + what + ": not a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            // only where: the parser's own message quotes the text, and this text may hold a credential
            String why = String.valueOf(e.getOriginalMessage()).startsWith("Duplicate") ? "a duplicate key" : "not valid JSON";
            throw OciMountException.invalid("parse " + what + ": " + why + where(e));
        }
    }

    /** A string field, or null when absent; a present field of another type is an error. */
    /** " at line L, column C" of a parse error, without any of the text there. */
    public static String where(JacksonException e) {
        var at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    public static String optText(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw OciMountException.invalid(what + ": field \"" + field + "\" must be a string");
        }
        return value.stringValue();
    }

    public static String text(JsonNode node, String field, String what) {
        String value = optText(node, field, what);
        if (value == null) {
            throw OciMountException.invalid(what + ": missing field \"" + field + "\"");
        }
        return value;
    }

    public static long optLong(JsonNode node, String field, long absent, String what) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isIntegralNumber()) {
            throw OciMountException.invalid(what + ": field \"" + field + "\" must be an integer");
        }
        return value.longValue();
    }

    public static Map<String, String> stringMap(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isObject()) {
            throw OciMountException.invalid(what + ": field \"" + field + "\" must be an object");
        }
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            if (!e.getValue().isString()) {
                throw OciMountException.invalid(what + ": " + field + "[\"" + e.getKey() + "\"] must be a string");
            }
            out.put(e.getKey(), e.getValue().stringValue());
        }
        return out;
    }

    public static byte[] write(Object value) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
    }
}
