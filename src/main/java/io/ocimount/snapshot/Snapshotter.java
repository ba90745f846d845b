package io.ocimount.snapshot;

import io.ocimount.oci.Digest;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Unpacked layers, one directory each, keyed by chainID. "Already exists" means reuse. */
public interface Snapshotter {
    boolean exists(Digest chainId);

    /** The committed snapshot's file tree. */
    Path path(Digest chainId);

    /** A fresh, empty, private directory to unpack into; invisible to readers until committed. */
    Preparation prepare();

    /**
     * Makes the prepared tree the snapshot for {@code chainId}, atomically. When one is already there the
     * prepared tree is discarded and the existing one kept.
     *
     * @param implicitDirs directories the layer needed but did not describe: {@link #completeImplicitDirs} gives them their
     *                     attributes from the layers below, which may not be committed yet
     */
    void commit(Preparation prepared, Digest chainId, List<String> implicitDirs);

    /** Finishes every snapshot of the stack (bottom first) whose implicit directories still need attributes. */
    void completeImplicitDirs(List<Digest> stack);

    void remove(Digest chainId);

    /**
     * Takes the snapshot out of view at once (a rename), leaving its files for {@link #purgeDetached()}: garbage
     * collection decides and detaches while pulls wait, and deletes the trees after they go on.
     */
    void detach(Digest chainId);

    /** Deletes the files of every detached snapshot. */
    void purgeDetached();

    Set<Digest> list();
}
