package io.ocimount.mount;

import java.nio.file.Path;
import java.util.List;

/** The mounts an image volume is made of. Every mount it makes is read-only, nosuid and nodev. */
public interface Mounter {
    /** One read-only view of an image: its layer directories, bottom first, stacked with no upper directory. */
    void mountView(List<Path> layersBottomFirst, Path target);

    /** Binds an opened directory or file (see {@link SubPathResolver}) onto {@code target}, read-only. */
    void bind(SubPathResolver.Opened source, BindTarget target);

    /** Detaches the mount at {@code target}; nothing mounted there is not an error. */
    void unmount(Path target);
}
