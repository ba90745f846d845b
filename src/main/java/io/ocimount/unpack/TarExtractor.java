package io.ocimount.unpack;

import io.ocimount.sys.SysException;
import io.ocimount.sys.Syscalls;
import io.ocimount.sys.Trees;
import io.ocimount.unpack.LayerTree.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * Writes one layer's tar entries into an empty snapshot directory in overlayfs form: OCI whiteouts become 0/0
 * character devices, opaque markers the {@code trusted.overlay.opaque} xattr. Every path is checked against
 * {@link LayerTree} before it is touched, so nothing is ever written outside the directory, and final
 * components are never followed (files are created with O_EXCL, links and nodes never overwrite).
 */
final class TarExtractor {
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final String WHITEOUT = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final int HEADER_CAP = 1 << 20;
    private static final long MAX_ID = 0xFFFF_FFFEL;

    private final Path root;
    private final LayerLimits limits;
    private final LayerTree tree = new LayerTree();
    private final Set<String> implicitDirs = new LinkedHashSet<>();
    private final Set<String> opaqueDirs = new HashSet<>();
    private final Map<String, long[]> dirTimes = new HashMap<>();
    private final byte[] buffer = new byte[1 << 17];
    private long entries;
    private int skippedXattrs;

    TarExtractor(Path root, LayerLimits limits) {
        this.root = root;
        this.limits = limits;
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
            metadata(rel, e, Kind.DIR, xattrs(e, tap, rel));
            return;
        }
        ensureParents(rel, e.getName());
        Kind existing = tree.get(rel);
        Kind kind = kindOf(e);
        if (existing != null && !(existing == Kind.DIR && kind == Kind.DIR)) {
            removeExisting(rel, existing);
        }
        Path p = root.resolve(rel);
        switch (kind) {
            case DIR -> {
                if (existing != Kind.DIR) {
                    Files.createDirectory(p);
                }
                implicitDirs.remove(rel);
                if (existing == Kind.WHITEOUT) {
                    markOpaque(rel); // the layer deleted what was below, then made a new directory here
                }
            }
            case FILE -> {
                if (e.isLink()) {
                    hardLink(rel, e);
                    return; // a hard link shares its target's inode and metadata
                }
                writeFile(p, data);
            }
            case SYMLINK -> {
                checkLength(e.getLinkName(), e.getName());
                Syscalls.symlink(e.getLinkName(), p);
            }
            case SPECIAL -> Syscalls.mknod(p, nodeType(e) | (e.getMode() & 07777), Syscalls.makedev(e.getDevMajor(), e.getDevMinor()));
            default -> throw new IllegalStateException(kind.toString());
        }
        tree.put(rel, kind);
        metadata(rel, e, kind, xattrs(e, tap, rel));
    }

    private Map<String, byte[]> xattrs(TarArchiveEntry e, HeaderTap tap, String rel) {
        return e.getExtraPaxHeaders().isEmpty() ? Map.of() : EntryXattrs.of(e, tap.recorded(), rel, limits.maxXattrBytes());
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
        String parent = EntryPaths.parent(rel);
        if (tree.get(parent) == Kind.DIR) {
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
                if (k == Kind.WHITEOUT) {
                    removeExisting(prefix, k);
                    opaqueDirs.add(prefix);
                }
                Path dir = root.resolve(prefix);
                Files.createDirectory(dir);
                Syscalls.chmod(dir, 0755);
                tree.put(prefix, Kind.DIR);
                implicitDirs.add(prefix);
                if (opaqueDirs.contains(prefix)) {
                    Syscalls.lsetxattr(dir, OPAQUE_XATTR, new byte[] {'y'});
                }
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
            if (!dir.isEmpty()) {
                ensureParents(rel, e.getName());
            }
            markOpaque(dir);
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
        Syscalls.mknod(p, Syscalls.S_IFCHR, 0);
        Syscalls.lchown(p, id(e.getLongUserId(), e), id(e.getLongGroupId(), e));
        tree.put(target, Kind.WHITEOUT);
    }

    private void markOpaque(String dir) throws SysException {
        opaqueDirs.add(dir);
        Syscalls.lsetxattr(root.resolve(dir), OPAQUE_XATTR, new byte[] {'y'});
    }

    private void removeExisting(String rel, Kind existing) throws IOException {
        Path p = root.resolve(rel);
        if (existing == Kind.DIR) {
            Trees.delete(p);
        } else {
            Files.delete(p);
        }
        tree.remove(rel);
        opaqueDirs.remove(rel);
    }

    private void hardLink(String rel, TarArchiveEntry e) throws IOException {
        String target = EntryPaths.clean(e.getLinkName(), limits.maxPathLength());
        Kind k = tree.get(target);
        if (k == null || k == Kind.DIR || k == Kind.WHITEOUT || target.isEmpty()) {
            throw new LayerRefusedException("entry " + e.getName() + ": hard link to " + e.getLinkName()
                    + (k == null ? ", which is not in this layer" : ", which is not a file"));
        }
        Files.createLink(root.resolve(rel), root.resolve(target));
        tree.put(rel, k);
    }

    private void writeFile(Path p, InputStream data) throws IOException {
        try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            int n;
            while ((n = data.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        }
    }

    /** Owner first, then mode (chown clears setuid/setgid), then xattrs; times last, directories at the very end. */
    private void metadata(String rel, TarArchiveEntry e, Kind kind, Map<String, byte[]> xattrs) throws IOException {
        Path p = rel.isEmpty() ? root : root.resolve(rel);
        Syscalls.lchown(p, id(e.getLongUserId(), e), id(e.getLongGroupId(), e));
        if (kind != Kind.SYMLINK) {
            Syscalls.chmod(p, e.getMode());
        }
        for (Map.Entry<String, byte[]> x : xattrs.entrySet()) {
            setXattr(p, rel, kind, x.getKey(), x.getValue());
        }
        long mtime = nanos(e.getLastModifiedTime());
        long atime = e.getLastAccessTime() == null ? mtime : nanos(e.getLastAccessTime());
        if (kind == Kind.DIR) {
            dirTimes.put(rel, new long[] {atime, mtime});
        } else {
            Syscalls.setTimes(p, atime, mtime);
        }
    }

    /**
     * trusted.* (overlay's own metadata among it) and security.selinux are never taken from an image, as
     * containerd and umoci refuse them; a file system without xattr support, or user.* on a node, is tolerated.
     */
    private void setXattr(Path p, String rel, Kind kind, String name, byte[] value) throws SysException {
        if (name.startsWith("trusted.") || name.equals("security.selinux")) {
            skippedXattrs++;
            return;
        }
        try {
            Syscalls.lsetxattr(p, name, value);
        } catch (SysException ex) {
            boolean tolerated = ex.errno() == Syscalls.ENOTSUP
                    || ex.errno() == Syscalls.EPERM && name.startsWith("user.") && (kind == Kind.SYMLINK || kind == Kind.SPECIAL);
            if (!tolerated) {
                throw ex;
            }
            skippedXattrs++;
        }
    }

    private void applyDirectoryTimes() throws SysException {
        for (Map.Entry<String, long[]> t : dirTimes.entrySet()) {
            if (tree.get(t.getKey()) == Kind.DIR) {
                Syscalls.setTimes(t.getKey().isEmpty() ? root : root.resolve(t.getKey()), t.getValue()[0], t.getValue()[1]);
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
