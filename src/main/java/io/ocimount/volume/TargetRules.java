package io.ocimount.volume;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.sys.FsTypes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an image volume may be mounted. A target's path must be absolute, without "..", and its resolved place
 * must be neither in nor over the daemon's own directories (a read-only mount over the store would break every
 * later pull) nor in a pseudo file system, where a mount hides kernel interfaces instead of making a volume.
 */
public final class TargetRules {
    static final int MAX_PATH_BYTES = 4096;
    /** devtmpfs says it is a tmpfs to statfs, so /dev is named instead. */
    private static final Path DEV = Path.of("/dev");
    private final List<Path> own;

    /** @param ownDirs the daemon's root and state directory */
    public TargetRules(List<Path> ownDirs) {
        List<Path> real = new ArrayList<>();
        for (Path d : ownDirs) {
            try {
                real.add(d.toRealPath());
            } catch (IOException e) {
                real.add(d.toAbsolutePath().normalize());
            }
        }
        this.own = List.copyOf(real);
    }

    /** The target as a clean absolute path ("." and doubled slashes dropped); refuses what no target may be. */
    static Path syntax(String target) {
        String problem = target.isEmpty() ? "is empty"
                : target.indexOf('\0') >= 0 ? "contains a NUL byte"
                : !target.startsWith("/") ? "is not an absolute path"
                : target.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES
                        ? "is longer than " + MAX_PATH_BYTES + " bytes"
                : List.of(target.split("/")).contains("..") ? "contains \"..\""
                : null;
        if (problem != null) {
            throw OciMountException.invalid("target " + Quote.of(target) + " " + problem);
        }
        Path clean = Path.of(target).normalize();
        if (clean.getNameCount() == 0) {
            throw OciMountException.invalid("target " + Quote.of(target) + " is the root directory");
        }
        return clean;
    }

    /** Refuses a target whose resolved place is in or over the daemon's directories, or in a pseudo file system. */
    void check(String target, Path resolved) {
        for (Path d : own) {
            if (resolved.startsWith(d) || d.startsWith(resolved)) {
                throw OciMountException.invalid("target " + Quote.of(target) + (resolved.toString().equals(target) ? ""
                        : " (resolved to " + Quote.of(resolved.toString()) + ")") + " is " + (resolved.startsWith(d)
                        ? "inside" : "over") + " the daemon's own directory " + d);
            }
        }
        for (Path dir = resolved; dir != null; dir = dir.getParent()) {
            // every directory on the way, not only the last: a tmpfs at /sys/fs/cgroup is still inside sysfs
            String pseudo = dir.startsWith(DEV) ? "devtmpfs" : FsTypes.pseudo(dir);
            if (pseudo != null) {
                throw OciMountException.invalid("target " + Quote.of(target) + " is in a " + pseudo + " file system ("
                        + dir + "), not a place for a volume");
            }
        }
    }
}
