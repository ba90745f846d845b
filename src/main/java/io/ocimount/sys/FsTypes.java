package io.ocimount.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

/**
 * The kind of file system a directory is on, by statfs(2)'s magic number: two system calls instead of a read of
 * the whole mount table, which grows with every volume and costs milliseconds to generate at a thousand mounts.
 */
public final class FsTypes {
    /** The kernel's interfaces, where a mount hides what the node needs instead of making a volume. */
    private static final Map<Long, String> PSEUDO = Map.ofEntries(
            Map.entry(0x9fa0L, "proc"), Map.entry(0x62656572L, "sysfs"), Map.entry(0x1cd1L, "devpts"),
            Map.entry(0x27e0ebL, "cgroup"), Map.entry(0x63677270L, "cgroup2"), Map.entry(0x73636673L, "securityfs"),
            Map.entry(0x64626720L, "debugfs"), Map.entry(0x74726163L, "tracefs"), Map.entry(0xcafe4a11L, "bpf"),
            Map.entry(0x62656570L, "configfs"), Map.entry(0xde5e81e4L, "efivarfs"), Map.entry(0x6165676cL, "pstore"),
            Map.entry(0x19800202L, "mqueue"), Map.entry(0x42494e4dL, "binfmt_misc"), Map.entry(0x6e736673L, "nsfs"),
            Map.entry(0x65735543L, "fusectl"), Map.entry(0xf97cff8cL, "selinuxfs"), Map.entry(0x0187L, "autofs"));

    private FsTypes() {
    }

    /** The name of the pseudo file system {@code dir} is on, or null for any other (or when it cannot be read). */
    public static String pseudo(Path dir) {
        byte[] buf = new byte[256];
        if (Syscalls.libc().statfs(dir.toString(), buf) != 0) {
            return null;
        }
        return PSEUDO.get(ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder()).getLong(0) & 0xffffffffL);
    }
}
