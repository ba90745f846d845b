package io.ocimount.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** File descriptors for path resolution that must not leave a root: open, openat, openat2, readlink, close. */
public final class Fds {
    public static final int O_RDONLY = 0;
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
    private static final long SYS_OPENAT2 = 437; // the same number on x86_64 and aarch64

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
        int fd = Syscalls.libc().openat(dirfd, name, flags, 0);
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

    public static void close(int fd) {
        Syscalls.libc().close(fd);
    }
}
