package io.ocimount.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** File descriptors for path resolution that must not leave a root: open, openat, openat2, readlink, close. */
public final class Fds {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;
    public static final long RESOLVE_NO_MAGICLINKS = 0x02;
    public static final long RESOLVE_NO_SYMLINKS = 0x04;
    public static final long RESOLVE_BENEATH = 0x08;
    public static final int EXDEV = 18;
    public static final int ELOOP = 40;
    public static final int ENOTDIR = 20;
    public static final int EAGAIN = 11;
    public static final int ENOTEMPTY = 39;
    public static final int S_IFMT = 0170000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;
    private static final long SYS_OPENAT2 = 437; // the same number on x86_64 and aarch64
    private static final int AT_FDCWD = -100;
    private static final int POSIX_FADV_WILLNEED = 3;
    private static final int AT_REMOVEDIR = 0x200;

    private Fds() {
    }

    public static int open(Path path, int flags) throws SysException {
        int fd = Syscalls.libc().open(path.toString(), flags, 0);
        if (fd < 0) {
            throw Syscalls.error("open", path.toString());
        }
        return fd;
    }

    public static int openat(int dirfd, String name, int flags) throws SysException {
        return openat(dirfd, name, flags, 0);
    }

    /** openat(2) with the mode a file created by O_CREAT gets (less the umask). */
    public static int openat(int dirfd, String name, int flags, int mode) throws SysException {
        int fd = Syscalls.libc().openat(dirfd, name, flags, mode);
        if (fd < 0) {
            throw Syscalls.error("openat", name);
        }
        return fd;
    }

    /** openat2(2); ENOSYS (kernel before 5.6) is thrown like any other error, for the caller to fall back. */
    public static int openat2(int dirfd, String path, long flags, long resolve) throws SysException {
        ByteBuffer how = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
        how.putLong(flags).putLong(0).putLong(resolve);
        long fd = Syscalls.libc().syscall(SYS_OPENAT2, dirfd, path, how.array(), 24);
        if (fd < 0) {
            throw Syscalls.error("openat2", path);
        }
        return (int) fd;
    }

    /** mkdirat(2): a directory {@code name} in the directory {@code dirfd}; never follows a link at {@code name}. */
    public static void mkdirat(int dirfd, String name, int mode) throws SysException {
        if (Syscalls.libc().mkdirat(dirfd, name, mode) != 0) {
            throw Syscalls.error("mkdirat", name);
        }
    }

    /** unlinkat(2): removes {@code name} (an empty directory when {@code directory}) from the directory {@code dirfd}. */
    public static void unlinkat(int dirfd, String name, boolean directory) throws SysException {
        if (Syscalls.libc().unlinkat(dirfd, name, directory ? AT_REMOVEDIR : 0) != 0) {
            throw Syscalls.error("unlinkat", name);
        }
    }

    /**
     * Opens an absolute path that must contain no symlink at all (a path the kernel itself reported, say): with
     * openat2(RESOLVE_NO_SYMLINKS), or before Linux 5.6 one O_NOFOLLOW component at a time. A link anywhere in it
     * is ELOOP or ENOTDIR, so a directory swapped for a link is never followed.
     */
    public static int openNoSymlinks(Path absolute, int flags) throws SysException {
        try {
            return openat2(AT_FDCWD, absolute.toString(), flags | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
        } catch (SysException e) {
            if (e.errno() != Syscalls.ENOSYS) {
                throw e;
            }
        }
        int dir = open(Path.of("/"), O_PATH | O_DIRECTORY | O_CLOEXEC);
        try {
            for (int i = 0; i < absolute.getNameCount(); i++) {
                boolean last = i == absolute.getNameCount() - 1;
                int next = openat(dir, absolute.getName(i).toString(),
                        last ? flags | O_NOFOLLOW : O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                close(dir);
                dir = next;
            }
            return dir;
        } catch (SysException e) {
            close(dir);
            throw e;
        }
    }

    /** Where a descriptor points, as the kernel reports it through /proc/self/fd. */
    public static String pathOf(int fd) throws SysException {
        byte[] buf = new byte[4096];
        String link = "/proc/self/fd/" + fd;
        long n = Syscalls.libc().readlink(link, buf, buf.length);
        if (n < 0) {
            throw Syscalls.error("readlink", link);
        }
        return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
    }

    /**
     * Asks the kernel to start reading the first {@code bytes} of a file into the page cache and returns at once
     * (posix_fadvise POSIX_FADV_WILLNEED): no copy to this process, unlike reading it. False if it could not.
     */
    public static boolean willNeed(Path path, long bytes) {
        int fd = Syscalls.libc().open(path.toString(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
        if (fd < 0) {
            return false;
        }
        try {
            return Syscalls.libc().posix_fadvise(fd, 0, bytes, POSIX_FADV_WILLNEED) == 0;
        } finally {
            close(fd);
        }
    }

    public static void close(int fd) {
        Syscalls.libc().close(fd);
    }
}
