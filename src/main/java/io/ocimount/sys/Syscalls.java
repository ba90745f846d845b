package io.ocimount.sys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/** Typed wrappers over {@link LibC}: paths in, exceptions out. The only class that reads errno. */
public final class Syscalls {
    public static final int ENOENT = 2;
    public static final int EPERM = 1;
    public static final int EEXIST = 17;
    public static final int ENOSYS = 38;
    public static final int ENODATA = 61;
    public static final int ENOTSUP = 95;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Syscalls() {
    }

    static LibC libc() {
        return LIBC;
    }

    static SysException error(String call, String path) {
        int errno = RUNTIME.getLastError();
        return new SysException(call, path, errno, LIBC.strerror(errno));
    }

    public static boolean isRoot() {
        return euid() == 0;
    }

    /** The effective uid: the owner of what this process creates. */
    public static int euid() {
        return LIBC.geteuid();
    }

    /** The process umask, read without changing it (umask(2) can only be read by setting it). */
    public static int umask() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
        } catch (java.io.IOException | NumberFormatException ignored) {
            // fall through to the usual default
        }
        return 022;
    }

    /** glibc's makedev: the major and minor split across the 64-bit dev_t. */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    public static void mknod(Path path, int mode, long dev) throws SysException {
        if (LIBC.mknod(path.toString(), mode, dev) != 0) {
            throw error("mknod", path.toString());
        }
    }

    /** Creates a symlink whose target is stored byte for byte as given (java.nio.file.Path would normalize it). */
    public static void symlink(String target, Path link) throws SysException {
        if (LIBC.symlink(target, link.toString()) != 0) {
            throw error("symlink", link.toString());
        }
    }

    /** Sets ownership without following a final symlink. */
    public static void lchown(Path path, int uid, int gid) throws SysException {
        if (LIBC.lchown(path.toString(), uid, gid) != 0) {
            throw error("lchown", path.toString());
        }
    }

    /** Sets every mode bit, setuid, setgid and sticky included. Follows symlinks: callers pass none. */
    public static void chmod(Path path, int mode) throws SysException {
        if (LIBC.chmod(path.toString(), mode & 07777) != 0) {
            throw error("chmod", path.toString());
        }
    }

    /** Sets atime and mtime (nanoseconds since the epoch) of the path itself, a symlink included. */
    public static void setTimes(Path path, long atimeNanos, long mtimeNanos) throws SysException {
        long[] times = {Math.floorDiv(atimeNanos, 1_000_000_000L), Math.floorMod(atimeNanos, 1_000_000_000L),
                Math.floorDiv(mtimeNanos, 1_000_000_000L), Math.floorMod(mtimeNanos, 1_000_000_000L)};
        if (LIBC.utimensat(AT_FDCWD, path.toString(), times, AT_SYMLINK_NOFOLLOW) != 0) {
            throw error("utimensat", path.toString());
        }
    }

    public static void lsetxattr(Path path, String name, byte[] value) throws SysException {
        if (LIBC.lsetxattr(path.toString(), name, value, value.length, 0) != 0) {
            throw error("lsetxattr " + name, path.toString());
        }
    }

    /** The attribute's bytes, or null when the path does not have it. */
    public static byte[] lgetxattr(Path path, String name) throws SysException {
        long n = LIBC.lgetxattr(path.toString(), name, null, 0);
        if (n < 0) {
            if (RUNTIME.getLastError() == ENODATA) {
                return null;
            }
            throw error("lgetxattr " + name, path.toString());
        }
        byte[] value = new byte[(int) n];
        long got = LIBC.lgetxattr(path.toString(), name, value, value.length);
        if (got < 0) {
            throw error("lgetxattr " + name, path.toString());
        }
        return got == n ? value : java.util.Arrays.copyOf(value, (int) got);
    }

    public static List<String> llistxattr(Path path) throws SysException {
        long n = LIBC.llistxattr(path.toString(), null, 0);
        if (n < 0) {
            throw error("llistxattr", path.toString());
        }
        List<String> names = new ArrayList<>();
        if (n == 0) {
            return names;
        }
        byte[] buf = new byte[(int) n];
        long got = LIBC.llistxattr(path.toString(), buf, buf.length);
        if (got < 0) {
            throw error("llistxattr", path.toString());
        }
        int start = 0;
        for (int i = 0; i < got; i++) {
            if (buf[i] == 0) {
                names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return names;
    }
}
