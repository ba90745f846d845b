package io.ocimount.snapshot;

import java.nio.file.Path;

/** The snapshotter contract for layer directories in overlayfs form. */
class OverlaySnapshotterTest extends SnapshotterContract {
    @Override
    protected Snapshotter open(Path root) {
        return new OverlaySnapshotter(root);
    }
}
