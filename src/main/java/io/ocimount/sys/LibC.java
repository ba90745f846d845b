package io.ocimount.sys;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;

/** The libc calls jnr-posix lacks. Every call saves errno; {@link Syscalls} turns it into an exception. */
public interface LibC {
    @SaveError
    int mount(String source, String target, String fstype, long flags, String data);

    @SaveError
    int umount2(String target, int flags);

    @SaveError
    int mknod(String path, int mode, long dev);

    @SaveError
    int lsetxattr(String path, String name, @In byte[] value, @size_t long size, int flags);

    @SaveError
    long lgetxattr(String path, String name, @Out byte[] value, @size_t long size);

    @SaveError
    long llistxattr(String path, @Out byte[] list, @size_t long size);

    @SaveError
    int symlink(String target, String linkpath);

    @SaveError
    int lchown(String path, int uid, int gid);

    @SaveError
    int chmod(String path, int mode);

    @SaveError
    int utimensat(int dirfd, String path, @In long[] times, int flags);

    @SaveError
    int open(String path, int flags, int mode);

    @SaveError
    int openat(int dirfd, String path, int flags, int mode);

    @SaveError
    int close(int fd);

    /** Returns the error number itself (0 on success); errno is not set. */
    int posix_fadvise(int fd, long offset, long len, int advice);

    @SaveError
    int mkdirat(int dirfd, String path, int mode);

    @SaveError
    int unlinkat(int dirfd, String path, int flags);

    /** struct statfs starts with f_type, a long, on x86_64 and aarch64 alike. */
    @SaveError
    int statfs(String path, @Out byte[] buf);

    /** struct statx is the same on every architecture, unlike struct stat. */
    @SaveError
    int statx(int dirfd, String path, int flags, int mask, @Out byte[] statxbuf);

    @SaveError
    int socket(int domain, int type, int protocol);

    /** {@code addr} is a struct sockaddr built by the caller ({@link UnixDatagram}). */
    @SaveError
    long sendto(int fd, @In byte[] buf, @size_t long len, int flags, @In byte[] addr, int addrlen);

    @SaveError
    long readlink(String path, @Out byte[] buf, @size_t long size);

    /** Used for openat2 (syscall 437 on x86_64 and aarch64), which glibc 2.36 does not wrap. */
    @SaveError
    long syscall(long number, int dirfd, String path, @In byte[] how, @size_t long size);

    int geteuid();

    String strerror(int errnum);
}
