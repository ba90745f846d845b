package io.ocimount.unpack;

import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Permission bits as the attribute NIO creates files and directories with: one shared object per mode. */
final class Perms {
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    private static final FileAttribute<?>[] BY_MODE = new FileAttribute<?>[512];

    static {
        for (int mode = 0; mode < 512; mode++) {
            Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
            for (int bit = 0; bit < 9; bit++) {
                if ((mode & (1 << bit)) != 0) {
                    set.add(BITS[bit]);
                }
            }
            BY_MODE[mode] = PosixFilePermissions.asFileAttribute(set);
        }
    }

    private Perms() {
    }

    static FileAttribute<?> of(int mode) {
        return BY_MODE[mode & 0777];
    }
}
