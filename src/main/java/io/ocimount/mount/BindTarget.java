package io.ocimount.mount;

import io.ocimount.sys.SysException;
import java.nio.file.Path;

/**
 * Where a bind goes, named by descriptors rather than paths: {@link #place()} is the opened directory or file to
 * mount onto ({@code /proc/self/fd/N}); {@link #openMounted()} reaches the new mount itself afterwards, which the
 * read-only remount needs (the descriptor still names what lies under the mount, not the mount).
 */
public interface BindTarget {
    Path place();

    /** A descriptor of the new mount's root, owned (and closed) by the target. */
    int openMounted() throws SysException;

    /** The target's path, for messages. */
    Path mountPoint();
}
