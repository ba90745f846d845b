package io.ocimount.unpack;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The calls of an extraction that need root, in one place to swap them (umoci's FsEval): device nodes, owners,
 * {@code trusted.*} xattrs, and the mode and time calls that go with them. Files, directories, links and deletions
 * need no privilege and stay plain file-system calls. Every decision is taken before a call is made: an
 * implementation only carries it out (or, in tests run without root, records it).
 */
public interface LayerFs {
    /** Whether the owners a layer names are applied; without root a user's files stay its own. */
    boolean appliesOwners();

    void mknod(Path path, int mode, long dev) throws IOException;

    /** Sets ownership without following a final symlink. */
    void lchown(Path path, int uid, int gid) throws IOException;

    /** Sets every mode bit, setuid, setgid and sticky included; never called on a symlink. */
    void chmod(Path path, int mode) throws IOException;

    void lsetxattr(Path path, String name, byte[] value) throws IOException;

    /** Sets atime and mtime (nanoseconds since the epoch) of the path itself, a symlink included. */
    void setTimes(Path path, long atimeNanos, long mtimeNanos) throws IOException;
}
