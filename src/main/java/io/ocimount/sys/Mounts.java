package io.ocimount.sys;

import java.nio.file.Path;

/** mount(2) and umount2(2), with the flags ocimount uses. */
public final class Mounts {
    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_REMOUNT = 32;
    public static final long MS_BIND = 4096;
    public static final long MS_PRIVATE = 1L << 18;
    public static final int MNT_DETACH = 2;
    public static final int UMOUNT_NOFOLLOW = 8;
    public static final int EINVAL = 22;
    public static final int EBUSY = 16;

    private Mounts() {
    }

    public static void mount(String source, Path target, String fstype, long flags, String data) throws SysException {
        if (Syscalls.libc().mount(source, target.toString(), fstype, flags, data) != 0) {
            throw Syscalls.error("mount " + (fstype != null ? fstype + " " : "") + source + " on", target.toString());
        }
    }

    public static void umount(Path target, int flags) throws SysException {
        if (Syscalls.libc().umount2(target.toString(), flags) != 0) {
            throw Syscalls.error("umount", target.toString());
        }
    }
}
