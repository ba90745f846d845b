package io.ocimount.unpack;

import io.ocimount.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Path;

/** The daemon's {@link LayerFs}: each call is the system call itself, with nothing added. */
final class SyscallLayerFs implements LayerFs {
    static final SyscallLayerFs INSTANCE = new SyscallLayerFs();

    private SyscallLayerFs() {
    }

    @Override
    public boolean appliesOwners() {
        return Syscalls.isRoot();
    }

    @Override
    public void mknod(Path path, int mode, long dev) throws IOException {
        Syscalls.mknod(path, mode, dev);
    }

    @Override
    public void lchown(Path path, int uid, int gid) throws IOException {
        Syscalls.lchown(path, uid, gid);
    }

    @Override
    public void chmod(Path path, int mode) throws IOException {
        Syscalls.chmod(path, mode);
    }

    @Override
    public void lsetxattr(Path path, String name, byte[] value) throws IOException {
        Syscalls.lsetxattr(path, name, value);
    }

    @Override
    public void setTimes(Path path, long atimeNanos, long mtimeNanos) throws IOException {
        Syscalls.setTimes(path, atimeNanos, mtimeNanos);
    }
}
