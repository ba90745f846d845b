package io.ocimount.pack;

import io.ocimount.oci.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The image config's {@code config} object: how a container of the image runs. Every field is optional and absent
 * ones are left out of the JSON, so an image packed without any of them keeps the digest it always had. Env keeps
 * the order given (later entries may refer to earlier ones); labels and ports are sorted so the bytes depend only
 * on the values.
 *
 * @param entrypoint null when not given (an empty list is a deliberate empty {@code Entrypoint})
 * @param env        {@code K=V} entries, one per key
 * @param exposed    normalized {@code PORT/PROTO}
 */
public record RunConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user,
                        Map<String, String> labels, List<String> exposed) {
    public static final RunConfig NONE = new RunConfig(null, null, List.of(), null, null, Map.of(), List.of());
    private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(?:/(tcp|udp|sctp))?");

    /** Checks every field, refusing bad input with the field named; a later Env entry of the same key wins. */
    public RunConfig {
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        cmd = cmd == null ? null : List.copyOf(cmd);
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String e : env) {
            String key = env(e).substring(0, e.indexOf('='));
            byKey.remove(key); // moves to the end: it may refer to the earlier ones
            byKey.put(key, e);
        }
        env = List.copyOf(byKey.values());
        workingDir = workingDir == null ? null : workingDir(workingDir);
        user = user == null ? null : user(user);
        labels.keySet().forEach(k -> {
            if (k.isEmpty()) {
                throw new IllegalArgumentException("label: the key is empty");
            }
        });
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        exposed = List.copyOf(new TreeSet<>(exposed.stream().map(RunConfig::port).toList()));
    }

    /** The OCI field names, in the spec's order. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (user != null) {
            m.put("User", user);
        }
        if (!exposed.isEmpty()) {
            Map<String, Object> ports = new LinkedHashMap<>();
            exposed.forEach(p -> ports.put(p, new LinkedHashMap<>()));
            m.put("ExposedPorts", ports);
        }
        if (!env.isEmpty()) {
            m.put("Env", env);
        }
        if (entrypoint != null) {
            m.put("Entrypoint", entrypoint);
        }
        if (cmd != null) {
            m.put("Cmd", cmd);
        }
        if (workingDir != null) {
            m.put("WorkingDir", workingDir);
        }
        if (!labels.isEmpty()) {
            m.put("Labels", labels);
        }
        return m;
    }

    /**
     * This config with {@code over}'s fields on top: Env and Labels merge key by key, ports add up, the other
     * fields are replaced when {@code over} sets them. Flags go over the file this way.
     */
    public RunConfig with(RunConfig over) {
        List<String> mergedEnv = new ArrayList<>(env);
        mergedEnv.addAll(over.env);
        Map<String, String> mergedLabels = new TreeMap<>(labels);
        mergedLabels.putAll(over.labels);
        List<String> ports = new ArrayList<>(exposed);
        ports.addAll(over.exposed);
        return new RunConfig(over.entrypoint != null ? over.entrypoint : entrypoint, over.cmd != null ? over.cmd : cmd,
                mergedEnv, over.workingDir != null ? over.workingDir : workingDir,
                over.user != null ? over.user : user, mergedLabels, ports);
    }

    /**
     * An argv given as one JSON array ({@code --cmd '["a","b c"]'}) or as its words one per flag ({@code --cmd a
     * --cmd "b c"}); null when none were given.
     */
    public static List<String> argv(String field, List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1 || !values.get(0).stripLeading().startsWith("[")) {
            return values;
        }
        try {
            List<String> out = new ArrayList<>();
            for (JsonNode n : Json.MAPPER.readTree(values.get(0))) {
                if (!n.isString()) {
                    throw new IllegalArgumentException(field + " " + values.get(0) + ": the array holds a non-string " + n);
                }
                out.add(n.asString());
            }
            return out;
        } catch (JacksonException e) {
            throw new IllegalArgumentException(field + " " + values.get(0) + ": not a JSON array of strings");
        }
    }

    /** {@code K=V} as an Env entry; the key must be non-empty (the value may be empty or hold more '='). */
    static String env(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("env \"" + kv + "\": give KEY=VALUE (a variable with no '=' is ambiguous)");
        }
        return kv;
    }

    /** {@code K=V} as a label; the value may be empty or hold more '='. */
    public static Map.Entry<String, String> label(String kv) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("label \"" + kv + "\": give KEY=VALUE");
        }
        return Map.entry(kv.substring(0, eq), kv.substring(eq + 1));
    }

    /** {@code 8080}, {@code 8080/tcp}, {@code 53/udp} or {@code 9/sctp} as {@code PORT/PROTO} (tcp when omitted). */
    static String port(String spec) {
        Matcher m = PORT.matcher(spec);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > 65535) {
            throw new IllegalArgumentException("expose \"" + spec + "\": give PORT[/tcp|/udp|/sctp] with PORT 1-65535");
        }
        return Integer.parseInt(m.group(1)) + "/" + (m.group(2) == null ? "tcp" : m.group(2));
    }

    /** runc starts the process in WorkingDir, and only takes an absolute one. */
    static String workingDir(String dir) {
        if (!dir.startsWith("/")) {
            throw new IllegalArgumentException("workdir \"" + dir + "\": give an absolute path");
        }
        return dir;
    }

    /** A user as the runtime reads it: a name or uid, optionally {@code :group}; no spaces. */
    static String user(String user) {
        if (user.isEmpty() || user.chars().anyMatch(Character::isWhitespace) || user.startsWith(":")) {
            throw new IllegalArgumentException("user \"" + user + "\": give USER[:GROUP] (names or ids)");
        }
        return user;
    }
}
