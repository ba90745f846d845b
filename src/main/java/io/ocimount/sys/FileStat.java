package io.ocimount.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What statx(2) says of a file without following a link: its type, owner, size, and the mount it belongs to
 * (whether it is that mount's root). struct statx has one layout on every architecture, unlike struct stat.
 *
 * @param mountId   the id /proc/self/mountinfo lists the file's mount under (0 before Linux 5.8)
 * @param mountRoot whether the file is the root of a mount, i.e. something is mounted there
 * @param device    the file system's device as mountinfo writes it, "major:minor"
 */
public record FileStat(int type, int uid, long size, long mountId, boolean mountRoot, String device) {
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int MASK = 0x1 | 0x2 | 0x8 | 0x200 | 0x1000; // TYPE | MODE | UID | SIZE | MNT_ID
    private static final long ATTR_MOUNT_ROOT = 0x2000;

    public boolean isDirectory() {
        return type == Fds.S_IFDIR;
    }

    public boolean isSymlink() {
        return type == Fds.S_IFLNK;
    }

    public boolean isRegularFile() {
        return type == Fds.S_IFREG;
    }

    /** What {@code fd} refers to; an O_PATH descriptor of a symlink describes the link. */
    public static FileStat of(int fd) throws SysException {
        return call(fd, "", AT_EMPTY_PATH, "/proc/self/fd/" + fd);
    }

    /** {@code name} in the directory {@code dirfd}, not followed if it is a link. */
    public static FileStat at(int dirfd, String name) throws SysException {
        return call(dirfd, name, AT_SYMLINK_NOFOLLOW, name);
    }

    private static FileStat call(int dirfd, String name, int flags, String shown) throws SysException {
        byte[] raw = new byte[256];
        if (Syscalls.libc().statx(dirfd, name, flags, MASK, raw) != 0) {
            throw Syscalls.error("statx", shown);
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        int mask = b.getInt(0);
        long attributes = b.getLong(8);
        long attributesMask = b.getLong(56);
        int mode = b.getShort(28) & 0xffff;
        long mountId = (mask & 0x1000) != 0 ? b.getLong(144) : 0;
        boolean mountRoot = (attributesMask & ATTR_MOUNT_ROOT) != 0 && (attributes & ATTR_MOUNT_ROOT) != 0;
        String device = Integer.toUnsignedString(b.getInt(136)) + ":" + Integer.toUnsignedString(b.getInt(140));
        return new FileStat(mode & Fds.S_IFMT, b.getInt(20), b.getLong(40), mountId, mountRoot, device);
    }
}
