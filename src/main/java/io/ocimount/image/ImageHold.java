package io.ocimount.image;

import io.ocimount.oci.Digest;
import java.util.Set;

/**
 * An image held for a mount: its blobs and snapshots stay on disk until {@link #close()}, even if RemoveImage
 * takes its names meanwhile. A volume holds its layers through its own record once that is written; this covers
 * the time before, from finding the image to recording the volume.
 */
public final class ImageHold implements AutoCloseable {
    private final ImageRecord image;
    private final Set<Digest> held;
    private final Leases leases;
    private boolean closed;

    ImageHold(ImageRecord image, Set<Digest> held, Leases leases) {
        this.image = image;
        this.held = held;
        this.leases = leases;
    }

    public ImageRecord image() {
        return image;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            leases.release(held);
        }
    }
}
