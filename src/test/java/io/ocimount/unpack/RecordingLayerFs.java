package io.ocimount.unpack;

import io.ocimount.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link LayerFs} for a user without root, as umoci's rootless mode does it: owners, device nodes and
 * {@code trusted.*} xattrs (which only root may set) are recorded rather than made, a device becomes an empty
 * file of its mode so later entries find something at its path, and everything else is the real call. It records
 * what the extractor asked for, last call per path; it does not follow deletions of the paths it recorded.
 */
public final class RecordingLayerFs implements LayerFs {
    private final Map<Path, String> owners = new ConcurrentHashMap<>();
    private final Map<Path, String> nodes = new ConcurrentHashMap<>();
    private final Map<Path, Map<String, byte[]>> trusted = new ConcurrentHashMap<>();

    /** Ownership is decided as for root, and recorded. */
    @Override
    public boolean appliesOwners() {
        return true;
    }

    @Override
    public void mknod(Path path, int mode, long dev) throws IOException {
        int type = mode & 0170000;
        if (type == Syscalls.S_IFIFO) {
            Syscalls.mknod(path, mode, dev); // a user may make a fifo
            return;
        }
        Files.createFile(path); // O_EXCL, like mknod: never through a link
        Syscalls.chmod(path, mode & 07777);
        nodes.put(path, (type == Syscalls.S_IFCHR ? "c " : "b ") + major(dev) + ":" + minor(dev));
    }

    @Override
    public void lchown(Path path, int uid, int gid) {
        owners.put(path, uid + ":" + gid);
    }

    @Override
    public void chmod(Path path, int mode) throws IOException {
        Syscalls.chmod(path, mode);
    }

    @Override
    public void lsetxattr(Path path, String name, byte[] value) throws IOException {
        if (name.startsWith("trusted.")) {
            trusted.computeIfAbsent(path, p -> new ConcurrentHashMap<>()).put(name, value.clone());
        } else {
            Syscalls.lsetxattr(path, name, value);
        }
    }

    @Override
    public void setTimes(Path path, long atimeNanos, long mtimeNanos) throws IOException {
        Syscalls.setTimes(path, atimeNanos, mtimeNanos);
    }

    /** "uid:gid" the extractor gave {@code path}, or null when it left the owner alone (root:root). */
    public String owner(Path path) {
        return owners.get(path);
    }

    /** "c major:minor" or "b major:minor" for a device node made at {@code path}, or null. */
    public String node(Path path) {
        return nodes.get(path);
    }

    /** A {@code trusted.*} attribute set on {@code path}, or null. */
    public byte[] trustedXattr(Path path, String name) {
        return trusted.getOrDefault(path, Map.of()).get(name);
    }

    /** Every path an owner, a node or a {@code trusted.*} attribute was recorded for. */
    public Set<Path> recordedPaths() {
        Set<Path> all = new HashSet<>(owners.keySet());
        all.addAll(nodes.keySet());
        all.addAll(trusted.keySet());
        return all;
    }

    /** glibc's major() and minor(), the inverse of {@link Syscalls#makedev}. */
    private static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    private static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }
}
