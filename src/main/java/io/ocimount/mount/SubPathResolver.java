package io.ocimount.mount;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.sys.Fds;
import io.ocimount.sys.SysException;
import io.ocimount.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a subPath inside a root without ever leaving it, and hands back a descriptor: the mount is then made
 * from {@code /proc/self/fd/N}, the object actually opened, so a symlink swapped in after the check changes
 * nothing (the kubelet subPath fix for CVE-2021-25741, done with openat2).
 *
 * <p>{@code RESOLVE_BENEATH} refuses, rather than clamps, anything that would leave the root: an absolute symlink,
 * ".." above the root, a chain of links that ends outside. Relative symlinks that stay inside resolve normally.
 * Kernels without openat2 (before 5.6) get a walk of one {@code O_NOFOLLOW} component at a time that refuses
 * every symlink, as kubelet's own safe open does.
 */
public final class SubPathResolver {
    private static final int RETRIES = 10;
    static boolean forceWalk; // tests only: exercise the fallback on a kernel that has openat2

    private SubPathResolver() {
    }

    /** A descriptor of a directory or file inside the root; valid until closed. */
    public record Opened(int fd, boolean directory) implements AutoCloseable {
        public Path procPath() {
            return Path.of("/proc/self/fd/" + fd);
        }

        @Override
        public void close() {
            Fds.close(fd);
        }
    }

    /** @param subPath relative, without "..": "" means the root itself */
    public static Opened open(Path root, String subPath) {
        String clean = validate(subPath);
        int rootFd;
        try {
            rootFd = Fds.open(root, Fds.O_PATH | Fds.O_DIRECTORY | Fds.O_CLOEXEC);
        } catch (SysException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "open " + root + ": " + e.getMessage(), e);
        }
        if (clean.isEmpty()) {
            return new Opened(rootFd, true);
        }
        try {
            int fd = forceWalk ? walk(rootFd, clean, subPath) : beneath(rootFd, clean, subPath);
            checkInside(fd, root, subPath);
            return new Opened(fd, Files.isDirectory(Path.of("/proc/self/fd/" + fd)));
        } finally {
            Fds.close(rootFd);
        }
    }

    private static String validate(String subPath) {
        if (subPath == null || subPath.isEmpty()) {
            return "";
        }
        if (subPath.startsWith("/")) {
            throw OciMountException.invalid("sub path \"" + subPath + "\" must be a relative path");
        }
        if (subPath.indexOf('\0') >= 0) {
            throw OciMountException.invalid("sub path \"" + subPath + "\" contains NUL");
        }
        StringBuilder out = new StringBuilder();
        for (String part : subPath.split("/")) {
            if (part.equals("..")) {
                throw OciMountException.invalid("sub path \"" + subPath + "\" must not contain \"..\"");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                out.append(out.length() > 0 ? "/" : "").append(part);
            }
        }
        return out.toString();
    }

    private static int beneath(int rootFd, String clean, String subPath) {
        for (int attempt = 0; ; attempt++) {
            try {
                return Fds.openat2(rootFd, clean, Fds.O_PATH | Fds.O_CLOEXEC, Fds.RESOLVE_BENEATH | Fds.RESOLVE_NO_MAGICLINKS);
            } catch (SysException e) {
                if (e.errno() == Syscalls.ENOSYS) {
                    return walk(rootFd, clean, subPath);
                }
                if (e.errno() == Fds.EAGAIN && attempt < RETRIES) {
                    continue; // a rename raced with the lookup; the kernel asks to try again
                }
                throw refusal(subPath, e);
            }
        }
    }

    private static int walk(int rootFd, String clean, String subPath) {
        int current = -1;
        try {
            String[] parts = clean.split("/");
            for (String part : parts) {
                int next = Fds.openat(current < 0 ? rootFd : current, part, Fds.O_PATH | Fds.O_NOFOLLOW | Fds.O_CLOEXEC);
                if (current >= 0) {
                    Fds.close(current);
                }
                current = next;
                if (Files.isSymbolicLink(Path.of(Fds.pathOf(current)))) {
                    throw OciMountException.invalid("sub path \"" + subPath + "\" goes through the symlink \"" + part
                            + "\", which this kernel (no openat2) cannot follow safely");
                }
            }
            return current;
        } catch (SysException e) {
            if (current >= 0) {
                Fds.close(current);
            }
            throw refusal(subPath, e);
        } catch (RuntimeException e) {
            if (current >= 0) {
                Fds.close(current);
            }
            throw e;
        }
    }

    /** Belt and braces: the kernel's answer for where the descriptor points must be inside the root. */
    private static void checkInside(int fd, Path root, String subPath) {
        try {
            String where = Fds.pathOf(fd);
            String base = root.toString();
            if (!where.equals(base) && !where.startsWith(base.endsWith("/") ? base : base + "/")) {
                Fds.close(fd);
                throw OciMountException.invalid("sub path \"" + subPath + "\" resolved outside the image, to " + where);
            }
        } catch (SysException e) {
            Fds.close(fd);
            throw new OciMountException(ErrorKind.INTERNAL, "check sub path \"" + subPath + "\": " + e.getMessage(), e);
        }
    }

    private static OciMountException refusal(String subPath, SysException e) {
        return switch (e.errno()) {
            case Syscalls.ENOENT -> OciMountException.notFound("sub path \"" + subPath + "\" does not exist");
            case Fds.EXDEV -> OciMountException.invalid("sub path \"" + subPath + "\" escapes the image through a symlink or \"..\"");
            case Fds.ELOOP -> OciMountException.invalid("sub path \"" + subPath + "\" has too many levels of symlinks");
            case Fds.ENOTDIR -> OciMountException.notFound("sub path \"" + subPath + "\" goes through something that is not a directory");
            default -> new OciMountException(ErrorKind.INTERNAL, "open sub path \"" + subPath + "\": " + e.getMessage(), e);
        };
    }
}
