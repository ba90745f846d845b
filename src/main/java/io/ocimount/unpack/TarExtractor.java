package io.ocimount.unpack;

import io.ocimount.sys.SysException;
import io.ocimount.sys.Syscalls;
import io.ocimount.sys.Trees;
import io.ocimount.unpack.LayerTree.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Turns one layer's tar entries into an empty snapshot directory in overlayfs form: OCI whiteouts become 0/0
 * character devices, opaque markers the {@code trusted.overlay.opaque} xattr. Every path is checked against
 * {@link LayerTree} before anything is written, so nothing lands outside the directory, and final components
 * are never followed (files are created with O_EXCL; links and nodes never overwrite). The checks run on the
 * reading thread; the writes are handed to an {@link FsWriter} in order, and those that need root (nodes, owners,
 * overlay's xattrs) go through {@link LayerFs}, so a test without root can record them.
 */
final class TarExtractor {
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final int HEADER_CAP = 1 << 20;
    private static final int CHUNK = 1 << 20;
    private static final long MAX_ID = 0xFFFF_FFFEL;
    private static final byte[] YES = {'y'};

    private final Path root;
    private final LayerLimits limits;
    private final FsWriter out;
    private final LayerFs fs;
    private final int umask = Syscalls.umask();
    private final boolean appliesOwners;
    private final LayerTree tree = new LayerTree();
    private final Set<String> implicitDirs = new LinkedHashSet<>();
    private final Set<String> opaqueDirs = new HashSet<>();
    private final Set<String> setgidDirs = new HashSet<>();
    private final Map<String, long[]> dirTimes = new HashMap<>();
    private long entries;
    private int skippedXattrs;

    TarExtractor(Path root, LayerLimits limits, FsWriter out, LayerFs fs) {
        this.root = root;
        this.limits = limits;
        this.out = out;
        this.fs = fs;
        this.appliesOwners = fs.appliesOwners();
    }

    /** What extraction left behind that the snapshot layer needs to know. */
    record Result(long entries, List<String> implicitDirs, int skippedXattrs) {
    }

    Result extract(InputStream tarStream) throws IOException {
        HeaderTap tap = new HeaderTap(tarStream, HEADER_CAP);
        TarArchiveInputStream tar = new TarArchiveInputStream(tap, "UTF-8");
        while (true) {
            tap.start();
            TarArchiveEntry e = tar.getNextEntry();
            tap.stop();
            if (e == null) {
                break;
            }
            if (++entries > limits.maxEntries()) {
                throw new LayerRefusedException("more than " + limits.maxEntries() + " entries", true);
            }
            apply(e, tar, tap);
        }
        applyDirectoryTimes();
        out.finish();
        implicitDirs.removeIf(d -> tree.get(d) != Kind.DIR);
        return new Result(entries, List.copyOf(implicitDirs), skippedXattrs);
    }

    private void apply(TarArchiveEntry e, InputStream data, HeaderTap tap) throws IOException {
        String rel = EntryPaths.clean(e.getName(), limits.maxPathLength());
        String base = EntryPaths.base(rel);
        if (base.startsWith(WHITEOUT)) {
            whiteout(rel, base, e);
            return;
        }
        if (rel.isEmpty()) {
            if (!e.isDirectory()) {
                throw new LayerRefusedException("entry " + e.getName() + ": refusing to replace the layer root with a non-directory");
            }
            Meta m = meta(rel, e, Kind.DIR, xattrs(e, tap, rel), true);
            out.submit(0, () -> m.apply(fs, root));
            if ((e.getMode() & 02000) != 0) {
                setgidDirs.add(rel);
            }
            return;
        }
        ensureParents(rel, e.getName());
        Kind existing = tree.get(rel);
        Kind kind = kindOf(e);
        if (existing != null && !(existing == Kind.DIR && kind == Kind.DIR)) {
            removeExisting(rel, existing);
        }
        Path p = root.resolve(rel);
        int perms = e.getMode() & 0777;
        if (kind == Kind.FILE && e.isLink()) {
            hardLink(rel, e); // a hard link shares its target's inode and metadata
            return;
        }
        if (kind == Kind.SYMLINK) {
            checkLength(e.getLinkName(), e.getName());
        }
        Map<String, byte[]> xattrs = xattrs(e, tap, rel);
        Meta m = meta(rel, e, kind, xattrs, existing == Kind.DIR);
        switch (kind) {
            case DIR -> {
                implicitDirs.remove(rel);
                boolean opaque = existing == Kind.WHITEOUT; // deleted below, then made anew: nothing below shows
                if (opaque) {
                    opaqueDirs.add(rel);
                }
                boolean create = existing != Kind.DIR;
                out.submit(0, () -> {
                    if (create) {
                        Files.createDirectory(p, Perms.of(perms));
                    }
                    if (opaque) {
                        fs.lsetxattr(p, OPAQUE_XATTR, YES);
                    }
                    m.apply(fs, p);
                });
                if ((e.getMode() & 02000) != 0) {
                    setgidDirs.add(rel);
                } else {
                    setgidDirs.remove(rel);
                }
            }
            case FILE -> writeFile(p, perms, e.getSize(), data, m);
            case SYMLINK -> {
                String target = e.getLinkName();
                out.submit(target.length(), () -> {
                    Syscalls.symlink(target, p);
                    m.apply(fs, p);
                });
            }
            case SPECIAL -> {
                int type = nodeType(e);
                long dev = Syscalls.makedev(e.getDevMajor(), e.getDevMinor());
                out.submit(0, () -> {
                    fs.mknod(p, type | perms, dev);
                    m.apply(fs, p);
                });
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        tree.put(rel, kind);
    }

    /** Small files go to the writer in one piece; big ones in chunks, so memory stays bounded. */
    private void writeFile(Path p, int perms, long size, InputStream data, Meta m) throws IOException {
        if (size <= CHUNK) {
            byte[] bytes = readExactly(data, (int) size);
            out.submit(bytes.length, () -> {
                FileSink.write(p, perms, bytes);
                m.apply(fs, p);
            });
            return;
        }
        FileSink sink = new FileSink(p, perms);
        out.closeWhenStopped(sink);
        out.submit(0, sink::open);
        for (long left = size; left > 0; ) {
            byte[] chunk = readExactly(data, (int) Math.min(CHUNK, left));
            left -= chunk.length;
            out.submit(chunk.length, () -> sink.write(chunk));
        }
        out.submit(0, () -> {
            sink.close();
            m.apply(fs, p);
        });
    }

    /** Reads straight into an array of the entry's size (readNBytes(int) would copy through 8 KB buffers). */
    private static byte[] readExactly(InputStream data, int size) throws IOException {
        byte[] bytes = new byte[size];
        int got = data.readNBytes(bytes, 0, size);
        if (got != size) {
            throw new java.io.EOFException("entry data ends after " + got + " of " + size + " bytes");
        }
        return bytes;
    }

    private Map<String, byte[]> xattrs(TarArchiveEntry e, HeaderTap tap, String rel) {
        if (e.getExtraPaxHeaders().isEmpty()) {
            return Map.of();
        }
        Map<String, byte[]> all = EntryXattrs.of(e, tap.recorded(), rel, limits.maxXattrBytes());
        Map<String, byte[]> kept = new HashMap<>();
        all.forEach((name, value) -> {
            // trusted.* (overlay's own metadata among it) and security.selinux never come from an image, as in
            // containerd and umoci: an image must not steer overlayfs or relabel the node.
            if (name.startsWith("trusted.") || name.equals("security.selinux")) {
                skippedXattrs++;
            } else {
                kept.put(name, value);
            }
        });
        return kept;
    }

    private static Kind kindOf(TarArchiveEntry e) {
        if (e.isDirectory()) {
            return Kind.DIR;
        }
        if (e.isSymbolicLink()) {
            return Kind.SYMLINK;
        }
        if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
            return Kind.SPECIAL;
        }
        if (e.isFile() || e.isLink()) {
            return Kind.FILE;
        }
        throw new LayerRefusedException("entry " + e.getName() + ": unsupported tar entry type");
    }

    private static int nodeType(TarArchiveEntry e) {
        return e.isFIFO() ? Syscalls.S_IFIFO : e.isCharacterDevice() ? Syscalls.S_IFCHR : Syscalls.S_IFBLK;
    }

    /** Creates missing parents as plain directories and refuses a parent the layer made a symlink or a file. */
    private void ensureParents(String rel, String name) throws IOException {
        if (tree.get(EntryPaths.parent(rel)) == Kind.DIR) {
            return;
        }
        int from = 0;
        while (true) {
            int slash = rel.indexOf('/', from);
            if (slash < 0) {
                return;
            }
            String prefix = rel.substring(0, slash);
            Kind k = tree.get(prefix);
            if (k == null || k == Kind.WHITEOUT) {
                boolean opaque = k == Kind.WHITEOUT;
                if (opaque) {
                    removeExisting(prefix, k);
                    opaqueDirs.add(prefix);
                }
                Path dir = root.resolve(prefix);
                boolean chown = needsChown(prefix, 0, 0);
                out.submit(0, () -> {
                    Files.createDirectory(dir, Perms.of(0755));
                    if (chown) {
                        fs.lchown(dir, 0, 0);
                    }
                    if ((0755 & ~umask) != 0755) {
                        fs.chmod(dir, 0755);
                    }
                    if (opaque) {
                        fs.lsetxattr(dir, OPAQUE_XATTR, YES);
                    }
                });
                tree.put(prefix, Kind.DIR);
                implicitDirs.add(prefix);
            } else if (k == Kind.SYMLINK) {
                throw new LayerRefusedException("entry " + name + ": parent " + prefix + " is a symlink, which is never followed");
            } else if (k != Kind.DIR) {
                throw new LayerRefusedException("entry " + name + ": parent " + prefix + " is not a directory");
            }
            from = slash + 1;
        }
    }

    private void whiteout(String rel, String base, TarArchiveEntry e) throws IOException {
        String dir = EntryPaths.parent(rel);
        if (base.equals(OPAQUE)) {
            ensureParents(rel, e.getName());
            opaqueDirs.add(dir);
            Path p = dir.isEmpty() ? root : root.resolve(dir);
            out.submit(0, () -> fs.lsetxattr(p, OPAQUE_XATTR, YES));
            return;
        }
        if (base.startsWith(WHITEOUT + WHITEOUT)) {
            return; // aufs bookkeeping (.wh..wh.plnk and friends): meaningless outside aufs
        }
        String hidden = base.substring(WHITEOUT.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw new LayerRefusedException("entry " + e.getName() + ": whiteout with an invalid name");
        }
        String target = EntryPaths.join(dir, hidden);
        if (tree.get(target) != null) {
            return; // a whiteout hides lower layers only, never what this layer itself added
        }
        ensureParents(rel, e.getName());
        Path p = root.resolve(target);
        int uid = id(e.getLongUserId(), e);
        int gid = id(e.getLongGroupId(), e);
        boolean chown = needsChown(target, uid, gid);
        out.submit(0, () -> {
            fs.mknod(p, Syscalls.S_IFCHR, 0);
            if (chown) {
                fs.lchown(p, uid, gid);
            }
        });
        tree.put(target, Kind.WHITEOUT);
    }

    private void removeExisting(String rel, Kind existing) throws IOException {
        Path p = root.resolve(rel);
        boolean dir = existing == Kind.DIR;
        out.submit(0, () -> {
            if (dir) {
                Trees.delete(p);
            } else {
                Files.delete(p);
            }
        });
        tree.remove(rel);
        opaqueDirs.remove(rel);
        setgidDirs.remove(rel);
    }

    private void hardLink(String rel, TarArchiveEntry e) throws IOException {
        String target = EntryPaths.clean(e.getLinkName(), limits.maxPathLength());
        Kind k = tree.get(target);
        if (k == null || k == Kind.DIR || k == Kind.WHITEOUT || target.isEmpty()) {
            throw new LayerRefusedException("entry " + e.getName() + ": hard link to " + e.getLinkName()
                    + (k == null ? ", which is not in this layer" : ", which is not a file"));
        }
        Path link = root.resolve(rel);
        Path existing = root.resolve(target);
        out.submit(0, () -> Files.createLink(link, existing));
        tree.put(rel, k);
    }

    /**
     * Works out which metadata calls an entry needs. A new object is created with its permission bits already
     * (less the umask) and owned by root, so chown and chmod are skipped when they would change nothing:
     * two system calls fewer for most files of a typical image.
     */
    private Meta meta(String rel, TarArchiveEntry e, Kind kind, Map<String, byte[]> xattrs, boolean existed) {
        int uid = id(e.getLongUserId(), e);
        int gid = id(e.getLongGroupId(), e);
        int mode = e.getMode() & 07777;
        boolean chown = existed && appliesOwners || needsChown(rel, uid, gid);
        boolean chmod = kind != Kind.SYMLINK && (existed || mode != (mode & 0777 & ~umask));
        long mtime = nanos(e.getLastModifiedTime());
        long atime = e.getLastAccessTime() == null ? mtime : nanos(e.getLastAccessTime());
        boolean deferTimes = kind == Kind.DIR;
        if (deferTimes) {
            dirTimes.put(rel, new long[] {atime, mtime});
        }
        return new Meta(chown, uid, gid, chmod, mode, xattrs, kind, deferTimes, atime, mtime);
    }

    /**
     * New objects belong to root:root unless the parent is setgid (then the group is inherited). Without root
     * (unit tests only: the daemon needs root to mount) ownership cannot be applied and is left alone.
     */
    private boolean needsChown(String rel, int uid, int gid) {
        return appliesOwners && (uid != 0 || gid != 0 || setgidDirs.contains(EntryPaths.parent(rel)));
    }

    /** Owner first, then mode (chown clears setuid/setgid), then xattrs, then times (a directory's at the end). */
    private record Meta(boolean chown, int uid, int gid, boolean chmod, int mode, Map<String, byte[]> xattrs, Kind kind,
                        boolean deferTimes, long atime, long mtime) {
        void apply(LayerFs fs, Path p) throws IOException {
            if (chown) {
                fs.lchown(p, uid, gid);
            }
            if (chmod) {
                fs.chmod(p, mode);
            }
            for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
                setXattr(fs, p, x.getKey(), x.getValue());
            }
            if (!deferTimes) {
                fs.setTimes(p, atime, mtime);
            }
        }

        /** A file system without xattr support, or user.* on a node (refused by the kernel), is tolerated. */
        private void setXattr(LayerFs fs, Path p, String name, byte[] value) throws IOException {
            try {
                fs.lsetxattr(p, name, value);
            } catch (SysException ex) {
                boolean tolerated = ex.errno() == Syscalls.ENOTSUP
                        || ex.errno() == Syscalls.EPERM && name.startsWith("user.") && (kind == Kind.SYMLINK || kind == Kind.SPECIAL);
                if (!tolerated) {
                    throw ex;
                }
            }
        }
    }

    private void applyDirectoryTimes() throws IOException {
        for (Map.Entry<String, long[]> t : dirTimes.entrySet()) {
            if (tree.get(t.getKey()) == Kind.DIR) {
                Path p = t.getKey().isEmpty() ? root : root.resolve(t.getKey());
                long[] times = t.getValue();
                out.submit(0, () -> fs.setTimes(p, times[0], times[1]));
            }
        }
    }

    private void checkLength(String target, String name) {
        if (target.getBytes(StandardCharsets.UTF_8).length > limits.maxPathLength()) {
            throw new LayerRefusedException("entry " + name + ": link target longer than " + limits.maxPathLength() + " bytes");
        }
    }

    private static int id(long id, TarArchiveEntry e) {
        if (id < 0 || id > MAX_ID) {
            throw new LayerRefusedException("entry " + e.getName() + ": owner id " + id + " out of range");
        }
        return (int) id;
    }

    /** Nanoseconds since the epoch; a time outside what that can hold becomes the epoch, as containerd does. */
    private static long nanos(FileTime t) {
        java.time.Instant i = t.toInstant();
        try {
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
        } catch (ArithmeticException outOfRange) {
            return 0;
        }
    }
}
