package io.ocimount.snapshot;

import io.ocimount.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

/**
 * A directory a layer created only because it needed a parent (no tar entry of its own) must look like the
 * same directory in the layers below, or the overlay would show it as root 0755 instead of, say, /root 0700.
 * containerd copies these attributes from the parent snapshots while applying; we do it once the lower
 * snapshots are committed. Lower paths are walked one component at a time without following symlinks.
 */
final class LowerAttributes {
    private LowerAttributes() {
    }

    /** @param lowers the snapshots below, nearest first */
    static void copy(Path upper, String relDir, List<Path> lowers) throws IOException {
        for (Path lower : lowers) {
            Lookup found = lookup(lower, relDir);
            if (found == Lookup.HIDDEN) {
                return; // deleted or made opaque at this level: nothing further down shows through
            }
            if (found == Lookup.DIR) {
                Path from = lower.resolve(relDir);
                Map<String, Object> a = Files.readAttributes(from, "unix:mode,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                Path to = upper.resolve(relDir);
                Syscalls.lchown(to, (Integer) a.get("uid"), (Integer) a.get("gid"));
                Syscalls.chmod(to, (Integer) a.get("mode"));
                java.time.Instant t = ((FileTime) a.get("lastModifiedTime")).toInstant();
                long mtime = t.getEpochSecond() * 1_000_000_000L + t.getNano();
                Syscalls.setTimes(to, mtime, mtime);
                return;
            }
        }
    }

    private enum Lookup { DIR, ABSENT, HIDDEN }

    private static Lookup lookup(Path lower, String relDir) throws IOException {
        Path p = lower;
        boolean underOpaque = false;
        for (String part : relDir.split("/")) {
            p = p.resolve(part);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return underOpaque ? Lookup.HIDDEN : Lookup.ABSENT; // an opaque parent hides everything further down
            }
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return Lookup.HIDDEN; // a whiteout, a file or a symlink replaces the directory here
            }
            underOpaque |= isOpaque(p);
        }
        return Lookup.DIR;
    }

    private static boolean isOpaque(Path dir) throws IOException {
        byte[] v = Syscalls.lgetxattr(dir, "trusted.overlay.opaque");
        return v != null && v.length == 1 && v[0] == 'y';
    }
}
