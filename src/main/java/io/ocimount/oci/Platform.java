package io.ocimount.oci;

import io.ocimount.errdefs.OciMountException;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** An os/architecture/variant triple, normalized as containerd/platforms does (aarch64 → arm64, arm64 v8 → ""). */
public record Platform(String os, String architecture, String variant) {
    /** Go's GOOS values, as image platforms name operating systems, and macos (read as darwin). */
    private static final Set<String> KNOWN_OS = Set.of("aix", "android", "darwin", "dragonfly", "freebsd", "hurd",
            "illumos", "ios", "js", "linux", "macos", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1",
            "windows", "zos");

    public Platform {
        os = normalizeOs(os);
        String arch = normalizeArch(architecture);
        variant = normalizeVariant(arch, architecture == null ? "" : architecture.toLowerCase(Locale.ROOT), variant);
        architecture = arch;
    }

    /** Parses "os/arch[/variant]". */
    public static Platform parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isBlank() || parts[1].isBlank()) {
            throw OciMountException.invalid("invalid platform \"" + text + "\": want os/arch[/variant]");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
    }

    /** Whether {@code os}, in any case, names an operating system an image platform can have. */
    public static boolean isKnownOs(String os) {
        return os != null && KNOWN_OS.contains(os.toLowerCase(Locale.ROOT));
    }

    /** The platform of the machine this JVM runs on. */
    public static Platform host() {
        return new Platform("linux", System.getProperty("os.arch"), "");
    }

    static Platform fromJson(JsonNode node, String what) {
        return new Platform(Json.text(node, "os", what + " platform"),
                Json.text(node, "architecture", what + " platform"),
                Json.optText(node, "variant", what + " platform"));
    }

    public boolean isUnknown() {
        return "unknown".equals(os) || "unknown".equals(architecture);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
    }

    private static String normalizeOs(String os) {
        String lower = os == null ? "" : os.toLowerCase(Locale.ROOT);
        return "macos".equals(lower) ? "darwin" : lower;
    }

    private static String normalizeArch(String arch) {
        String lower = arch == null ? "" : arch.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "x86_64", "x86-64" -> {
                return "amd64";
            }
            case "aarch64" -> {
                return "arm64";
            }
            case "armhf", "armel" -> {
                return "arm";
            }
            case "i386" -> {
                return "386";
            }
            default -> {
                return lower;
            }
        }
    }

    private static String normalizeVariant(String arch, String rawArch, String variant) {
        String v = variant == null ? "" : variant.toLowerCase(Locale.ROOT);
        switch (arch) {
            case "amd64" -> {
                return "v1".equals(v) ? "" : v;
            }
            case "arm64" -> {
                return switch (v) {
                    case "8", "v8", "v8.0" -> "";
                    case "9", "9.0", "v9.0" -> "v9";
                    default -> v;
                };
            }
            case "arm" -> {
                if ("armhf".equals(rawArch)) {
                    return "v7";
                }
                if ("armel".equals(rawArch)) {
                    return "v6";
                }
                return v.isEmpty() || "7".equals(v) ? "v7" : (v.startsWith("v") ? v : "v" + v);
            }
            default -> {
                return v;
            }
        }
    }
}
