package io.ocimount.pack;

import io.ocimount.oci.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory packed as one layer: of every platform's image, or with {@code platform} of that platform's only (a
 * JRE of that architecture under an application layer all platforms share).
 *
 * @param text the --layer argument as given, or null when not parsed from one
 */
public record LayerSource(Path dir, Platform platform, String text) {
    /**
     * OS/ARCH[/VARIANT]= before the directory, in any spelling Platform.parse takes (linux/AMD64, linux/x86-64); a
     * directory whose name looks like that can be given as ./NAME.
     */
    private static final Pattern PLATFORM_PREFIX = Pattern.compile("([^/=]+/[^/=]+(?:/[^/=]+)?)=(.+)");

    public LayerSource(Path dir, Platform platform) {
        this(dir, platform, null);
    }

    public static LayerSource everyPlatform(Path dir) {
        return new LayerSource(dir, null);
    }

    /** {@code DIR} or {@code OS/ARCH[/VARIANT]=DIR}, as --layer takes it. */
    public static LayerSource parse(String text) {
        return parse(text, Path.of(""));
    }

    /**
     * As {@link #parse(String)}, with relative paths looked up under {@code base}. A prefix is a platform only when
     * its first part is a known OS (build/out=x is a path) and the whole text is not an existing directory.
     */
    static LayerSource parse(String text, Path base) {
        Matcher m = PLATFORM_PREFIX.matcher(text);
        if (m.matches() && Platform.isKnownOs(m.group(1).substring(0, m.group(1).indexOf('/')))
                && !Files.isDirectory(base.resolve(text))) {
            return new LayerSource(Path.of(m.group(2)), Platform.parse(m.group(1)), text);
        }
        return new LayerSource(Path.of(text), null, text);
    }

    boolean appliesTo(Platform p) {
        return platform == null || platform.equals(p);
    }

    @Override
    public String toString() {
        if (text != null) {
            return text;
        }
        return platform == null ? dir.toString() : platform + "=" + dir;
    }
}
