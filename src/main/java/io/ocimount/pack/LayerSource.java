package io.ocimount.pack;

import io.ocimount.oci.Platform;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A directory packed as one layer: of every platform's image, or with {@code platform} of that platform's only (a
 * JRE of that architecture under an application layer all platforms share).
 */
public record LayerSource(Path dir, Platform platform) {
    /** os/arch[/variant]= before the directory; a directory whose name looks like that can be given as ./NAME. */
    private static final Pattern PLATFORM_PREFIX = Pattern.compile("([a-z0-9]+/[a-z0-9_]+(?:/[a-z0-9.]+)?)=(.+)");

    public static LayerSource everyPlatform(Path dir) {
        return new LayerSource(dir, null);
    }

    /** {@code DIR} or {@code OS/ARCH[/VARIANT]=DIR}, as --layer takes it. */
    public static LayerSource parse(String text) {
        Matcher m = PLATFORM_PREFIX.matcher(text);
        if (m.matches()) {
            return new LayerSource(Path.of(m.group(2)), Platform.parse(m.group(1)));
        }
        return everyPlatform(Path.of(text));
    }

    boolean appliesTo(Platform p) {
        return platform == null || platform.equals(p);
    }

    @Override
    public String toString() {
        return platform == null ? dir.toString() : platform + "=" + dir;
    }
}
