package io.ocimount.mount;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.sys.Fds;
import io.ocimount.sys.FileStat;
import io.ocimount.sys.Mounts;
import io.ocimount.sys.SysException;
import io.ocimount.sys.Syscalls;
import java.nio.file.Path;
import java.util.List;

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
            return st.mountId() == 0 ? MountId.UNKNOWN : new MountId(st.mountId(), rootOf(st.mountId()));
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

    private static String rootOf(long mountId) {
        MountInfo.Entry e = MountInfo.byId(MountInfo.read(), mountId);
        return e == null ? "" : e.root();
    }

    /** Whether the mount is still there: the id is listed, showing the same root. */
    static boolean isMounted(MountId mount) {
        MountInfo.Entry e = MountInfo.byId(MountInfo.read(), mount.id());
        return e != null && e.root().equals(mount.root());
    }

    static void unmount(MountId mount) {
        String where = "";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<MountInfo.Entry> table = MountInfo.read();
            MountInfo.Entry e = MountInfo.byId(table, mount.id());
            if (e == null || !e.root().equals(mount.root())) {
                return; // gone already, or the id now belongs to a mount that is not ours
            }
            where = e.mountPoint();
            int fd;
            try {
                fd = Fds.openNoSymlinks(Path.of(where), Fds.O_PATH | Fds.O_CLOEXEC);
            } catch (SysException movedMeanwhile) {
                continue;
            }
            try {
                FileStat st = FileStat.of(fd);
                if (st.mountId() == mount.id() && st.mountRoot()) {
                    Mounts.umount(Path.of("/proc/self/fd/" + fd), Mounts.MNT_DETACH);
                    return;
                }
            } catch (SysException e2) {
                throw new OciMountException(ErrorKind.INTERNAL, "unmount " + where + ": " + e2.getMessage(), e2);
            } finally {
                Fds.close(fd);
            }
        }
        throw new OciMountException(ErrorKind.INTERNAL, "unmount mount " + mount.id() + " at " + where
                + ": it cannot be reached without following a link, or something else is mounted on top of it");
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
