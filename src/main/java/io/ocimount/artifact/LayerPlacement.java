package io.ocimount.artifact;

import io.ocimount.oci.Descriptor;
import io.ocimount.oci.MediaTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where one artifact layer goes in its volume. The name comes from the annotations CRI-O reads (title, then the
 * two model-spec file paths); it must stay inside the volume. Tar-typed layers are unpacked: into the named
 * directory, at the root when unnamed, or, for ORAS directory layers, beside the name as ORAS itself does.
 */
public record LayerPlacement(Descriptor layer, String name, List<String> path, Kind kind) {
    public static final String TITLE = "org.opencontainers.image.title";
    public static final String CNCF_FILEPATH = "org.cncf.model.filepath";
    public static final String CNAI_FILEPATH = "org.cnai.model.filepath";
    /** ORAS marks a pushed directory so: its tar entries already start with the directory's name. */
    public static final String ORAS_UNPACK = "io.deis.oras.content.unpack";
    private static final int NAME_MAX = 255;
    private static final int PATH_MAX = 4096;

    public enum Kind {
        /** The blob's bytes as a file at {@code path}. */
        FILE,
        /** A tar whose tree becomes the directory {@code path}; a file instead if the bytes are no tar. */
        TAR_INTO,
        /** A tar whose top-level entries go into the volume's root. */
        TAR_AT_ROOT,
        /** An ORAS directory tar: every entry lies under {@code path}, unpacked from its parent. */
        TAR_ORAS,
        /** No name and no tar: nothing to show (CRI-O skips these too). */
        SKIP
    }

    /** Thrown for a name that may not be used; the message says why, the caller adds image and layer. */
    public static final class BadName extends IllegalArgumentException {
        BadName(String reason) {
            super(reason);
        }
    }

    public static LayerPlacement of(Descriptor layer) {
        String name = annotatedName(layer.annotations());
        boolean tar = isTarType(layer.mediaType());
        if (name == null) {
            return new LayerPlacement(layer, null, List.of(), tar ? Kind.TAR_AT_ROOT : Kind.SKIP);
        }
        List<String> path = components(name);
        Kind kind = !tar ? Kind.FILE
                : "true".equalsIgnoreCase(layer.annotations().getOrDefault(ORAS_UNPACK, "")) ? Kind.TAR_ORAS
                : Kind.TAR_INTO;
        return new LayerPlacement(layer, name, path, kind);
    }

    /** How a refusal or a log line names this layer. */
    public String describe() {
        return describe(layer, name);
    }

    static String describe(Descriptor layer, String name) {
        return "layer " + layer.digest() + (name == null ? "" : " (\"" + name + "\")");
    }

    static String annotatedName(Map<String, String> annotations) {
        for (String key : List.of(TITLE, CNCF_FILEPATH, CNAI_FILEPATH)) {
            String v = annotations.get(key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The tar media types of the issue: anything ending in tar, tar+gzip or tar+zstd, and Docker's layer types. */
    static boolean isTarType(String mediaType) {
        String m = MediaTypes.stripParameters(mediaType);
        if (m == null) {
            return false;
        }
        m = m.toLowerCase(Locale.ROOT);
        return m.endsWith("tar") || m.endsWith("tar+gzip") || m.endsWith("tar+zstd") || MediaTypes.isLayer(m);
    }

    /** Splits a name into components, refusing every form that could leave the volume or mean two things. */
    static List<String> components(String name) {
        if (name.isEmpty()) {
            throw new BadName("empty name");
        }
        if (name.startsWith("/")) {
            throw new BadName("absolute name \"" + name + "\"");
        }
        if (name.indexOf('\0') >= 0) {
            throw new BadName("name contains a NUL byte");
        }
        if (name.length() > PATH_MAX) {
            throw new BadName("name longer than " + PATH_MAX + " bytes");
        }
        List<String> out = new ArrayList<>();
        for (String c : name.split("/", -1)) {
            if (c.equals("..")) {
                throw new BadName("name \"" + name + "\" climbs out with ..");
            }
            if (c.isEmpty() || c.equals(".")) {
                throw new BadName("name \"" + name + "\" has an empty or . component");
            }
            if (c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NAME_MAX) {
                throw new BadName("name \"" + name + "\" has a component longer than " + NAME_MAX + " bytes");
            }
            out.add(c);
        }
        return List.copyOf(out);
    }
}
