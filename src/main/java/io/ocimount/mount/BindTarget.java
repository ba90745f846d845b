package io.ocimount.mount;

import java.nio.file.Path;

/**
 * Where a bind goes, named by descriptors rather than paths: {@link #place()} is the opened directory or file to
 * mount onto ({@code /proc/self/fd/N}); {@link #mounted()} reaches the new mount itself afterwards, which the
 * read-only remount needs (the descriptor still names what lies under the mount, not the mount).
 */
public interface BindTarget {
    Path place();

    Path mounted();
}
