package io.ocimount.mount;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.sys.Fds;
import io.ocimount.sys.FileStat;
import io.ocimount.sys.Mounts;
import io.ocimount.sys.SysException;
import io.ocimount.sys.Syscalls;
import java.nio.file.Path;

/**
 * A volume's bind onto a target outside the daemon's own directories, where anyone may rename or relink the path
 * later: made onto descriptors, remembered by mount id, and taken down only after the mount found by that id is
 * reached with no link on the way and proves to be that mount.
 */
final class VolumeBinds {
    private static final int ATTEMPTS = 3;

    private VolumeBinds() {
    }

    static MountId bind(SubPathResolver.Opened source, BindTarget target, long readOnlyFlags) {
        boolean bound = false;
        try {
            Mounts.mount(source.procPath().toString(), target.place(), null, Mounts.MS_BIND, null);
            bound = true;
            int fd = target.openMounted();
            FileStat st = FileStat.of(fd);
            Path mounted = Path.of("/proc/self/fd/" + fd);
            if (st.mountId() != 0 && !st.mountRoot()) {
                throw new OciMountException(ErrorKind.INTERNAL, "bind onto " + target.mountPoint()
                        + ": the target was replaced while it was being mounted");
            }
            remount(mounted, readOnlyFlags);
            return st.mountId() == 0 ? MountId.UNKNOWN : new MountId(st.mountId(), st.device());
        } catch (SysException | RuntimeException e) {
            if (bound) {
                detach(target.place()); // by where it was made: no NOFOLLOW, so the kernel goes on to the mount
            }
            throw e instanceof SysException se ? new OciMountException(ErrorKind.INTERNAL, "bind onto "
                    + target.mountPoint() + ": " + se.getMessage(), se) : (RuntimeException) e;
        }
    }

    /** A bind ignores flags on its first call; this second call applies them. */
    static void remount(Path mount, long readOnlyFlags) throws SysException {
        Mounts.mount("none", mount, null, Mounts.MS_BIND | Mounts.MS_REMOUNT | readOnlyFlags, null);
    }

    /** Whether the mount is still there: at its last known path (two system calls), else anywhere by its id. */
    static boolean isMounted(MountId mount, Path lastKnown) {
        if (isAt(mount, lastKnown)) {
            return true;
        }
        MountInfo.Entry e = MountInfo.byId(MountInfo.read(), mount.id());
        return e != null && e.device().equals(mount.device());
    }

    /**
     * Detaches the mount: where it was made if it is still there (no read of the mount table, which is slow to
     * generate with many mounts), else wherever the table says it went, reached with no link on the way.
     */
    static void unmount(MountId mount, Path lastKnown) {
        if (detachIfAt(mount, lastKnown)) {
            return;
        }
        String where = lastKnown.toString();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            MountInfo.Entry e = MountInfo.byId(MountInfo.read(), mount.id());
            if (e == null || !e.device().equals(mount.device())) {
                return; // gone already, or the id now belongs to a mount that is not ours
            }
            where = e.mountPoint();
            if (detachIfAt(mount, Path.of(where))) {
                return;
            }
        }
        throw new OciMountException(ErrorKind.INTERNAL, "unmount mount " + mount.id() + " at " + where
                + ": it cannot be reached without following a link, or something else is mounted on top of it");
    }

    private static boolean isAt(MountId mount, Path path) {
        int fd = openIfOurs(mount, path);
        if (fd < 0) {
            return false;
        }
        Fds.close(fd);
        return true;
    }

    private static boolean detachIfAt(MountId mount, Path path) {
        int fd = openIfOurs(mount, path);
        if (fd < 0) {
            return false;
        }
        try {
            Mounts.umount(Path.of("/proc/self/fd/" + fd), Mounts.MNT_DETACH); // the descriptor's mount, no NOFOLLOW
            return true;
        } catch (SysException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "unmount " + path + ": " + e.getMessage(), e);
        } finally {
            Fds.close(fd);
        }
    }

    /** A descriptor of the mount's root if {@code path}, reached with no link, is that mount; else -1. */
    private static int openIfOurs(MountId mount, Path path) {
        int fd;
        try {
            fd = Fds.openNoSymlinks(path, Fds.O_PATH | Fds.O_CLOEXEC);
        } catch (SysException movedOrLinked) {
            return -1;
        }
        try {
            if (matches(mount, FileStat.of(fd))) {
                return fd;
            }
        } catch (SysException unreadable) {
            // not ours to judge: treated as not there
        }
        Fds.close(fd);
        return -1;
    }

    private static boolean matches(MountId mount, FileStat st) {
        return st.mountRoot() && st.mountId() == mount.id() && st.device().equals(mount.device());
    }

    /** Detaches whatever is mounted at {@code path}; nothing there is not an error. */
    static void detach(Path path) {
        try {
            Mounts.umount(path, Mounts.MNT_DETACH);
        } catch (SysException e) {
            if (e.errno() != Mounts.EINVAL && e.errno() != Syscalls.ENOENT) {
                throw new OciMountException(ErrorKind.INTERNAL, "unmount " + path + ": " + e.getMessage(), e);
            }
        }
    }
}
