package io.ocimount.mount;

import java.nio.file.Path;
import java.util.List;

/** The mounts an image volume is made of. Every mount it makes is read-only, nosuid and nodev. */
public interface Mounter {
    /** One read-only view of an image: its layer directories, bottom first, stacked with no upper directory. */
    void mountView(List<Path> layersBottomFirst, Path target);

    /** Whether {@link #mountView} of these layers is still mounted at {@code target} (after a restart, say). */
    boolean isViewMounted(List<Path> layersBottomFirst, Path target);

    /** Binds an opened directory or file (see {@link SubPathResolver}) onto {@code target}, read-only. */
    MountId bind(SubPathResolver.Opened source, BindTarget target);

    /** Detaches the mount at {@code target}, a path of the daemon's own; nothing mounted there is not an error. */
    void unmount(Path target);

    /**
     * Detaches the mount {@link #bind} made, found by its id wherever it is now; a mount that is gone (or an id
     * now used by another mount) is left alone. {@code lastKnown} serves records from before mount ids.
     */
    void unmount(MountId mount, Path lastKnown);

    /** Whether the mount {@link #bind} made is still there. */
    boolean isMounted(MountId mount, Path lastKnown);
}
