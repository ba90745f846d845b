package io.ocimount.image;

import io.ocimount.content.ContentStore;
import io.ocimount.snapshot.Snapshotter;
import java.nio.file.Path;

/**
 * The store an image service works on: blobs, snapshots and image records under one root, and the leases that
 * keep what running pulls and mounts use from garbage collection. Deciding on records and acting on the store as
 * one step (a pull's final record, garbage collection, a hold for a mount) synchronizes on {@code records}.
 */
public record ImageStorage(Path root, ContentStore content, Snapshotter snapshots, ImageStore records, Leases leases) {
}
