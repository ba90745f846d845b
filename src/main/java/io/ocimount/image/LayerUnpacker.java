package io.ocimount.image;

import io.ocimount.content.ContentStore;
import io.ocimount.content.Ingest;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.metrics.Meters;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.registry.RegistrySession;
import io.ocimount.snapshot.Preparation;
import io.ocimount.snapshot.Snapshotter;
import io.ocimount.streams.BlockInputStream;
import io.ocimount.unpack.LayerApplier;
import io.ocimount.sys.IoErrors;
import io.ocimount.unpack.LayerRefusedException;
import io.ocimount.unpack.LocalWriteException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.logging.Logger;

/**
 * Makes one layer present: its blob in the content store and, for an image layer, its snapshot committed.
 * A layer that is not stored yet is read from the registry once; the same bytes go to the content store
 * (hashed) and through the decompressor into a fresh snapshot directory (hashed again). The snapshot is
 * committed only when the blob's size and digest and the diff_id all match.
 *
 * <p>Snapshots are single-flight by chainID, blobs by digest: two pulls of one layer unpack it once, and a blob
 * shared by two different stacks is downloaded once and then unpacked from disk for the second.
 */
public final class LayerUnpacker {
    private static final Logger LOG = Logger.getLogger(LayerUnpacker.class.getName());
    private final ContentStore content;
    private final Snapshotter snapshots;
    private final LayerApplier applier;
    private final BlobDownloader downloader;
    private final Semaphore slots;
    private final Meters meters;
    private final Flights<Digest, Boolean> blobFlights;
    private final Flights<Digest, Boolean> snapshotFlights;

    private final LongConsumer roomFor;

    /**
     * @param downloader brings a blob into {@code content}, or streams it there while it is unpacked
     * @param parallel   how many layers are fetched at once
     * @param roomFor    called with a blob's size before it is fetched, to free space when the disk is short
     */
    public LayerUnpacker(ContentStore content, Snapshotter snapshots, LayerApplier applier, BlobDownloader downloader,
                         Executor executor, int parallel, Meters meters, LongConsumer roomFor) {
        this.roomFor = roomFor;
        this.meters = meters;
        this.content = content;
        this.snapshots = snapshots;
        this.applier = applier;
        this.downloader = downloader;
        this.slots = new Semaphore(parallel);
        this.blobFlights = new Flights<>(executor);
        this.snapshotFlights = new Flights<>(executor);
    }

    /** What a layer is to become: {@code diffId} and {@code chainId} are null for an artifact's blob. */
    record Layer(Descriptor blob, Digest diffId, Digest chainId) {
    }

    /** @return true when the layer was already unpacked (reused) */
    boolean ensure(RegistrySession session, Layer layer, PullObserver observer, Cancellation cancel) {
        if (layer.chainId() == null) {
            if (!content.has(layer.blob().digest())) {
                blobFlights.join(layer.blob().digest(), cancel,
                        c -> withSlot(c, () -> downloader.download(session, layer.blob(), observer, c)));
            }
            return false;
        }
        if (snapshots.exists(layer.chainId()) && content.has(layer.blob().digest())) {
            meters.layerReused();
            return true;
        }
        long start = System.nanoTime();
        boolean reused = snapshotFlights.join(layer.chainId(), cancel, c -> unpackOnce(session, layer, observer, c));
        if (reused) {
            meters.layerReused();
        } else {
            meters.layerUnpacked((System.nanoTime() - start) / 1e9);
        }
        return reused;
    }

    private Boolean unpackOnce(RegistrySession session, Layer layer, PullObserver observer, Cancellation cancel) {
        Digest digest = layer.blob().digest();
        if (snapshots.exists(layer.chainId())) {
            if (!content.has(digest)) {
                blobFlights.join(digest, cancel, c -> withSlot(c, () -> downloader.download(session, layer.blob(), observer, c)));
            }
            return true;
        }
        if (!content.has(digest)) {
            // The first stack to need this blob streams it into a snapshot; another stack sharing the blob waits
            // for the download and then unpacks from disk.
            blobFlights.join(digest, cancel, c -> withSlot(c, () -> streamAndUnpack(session, layer, observer, c)));
            if (snapshots.exists(layer.chainId())) {
                return false;
            }
        }
        withSlot(cancel, () -> unpackStored(layer, cancel));
        return false;
    }

    private void streamAndUnpack(RegistrySession session, Layer layer, PullObserver observer, Cancellation cancel) {
        roomFor.accept(layer.blob().size());
        unpackInto(layer, cancel, prep -> {
            Cancellation fetch = cancel.child(); // stops the download when the unpack fails locally
            try (Ingest ingest = content.ingest(layer.blob());
                 IngestingBlobStream blob = downloader.stream(session, layer.blob(), ingest, true, observer, fetch);
                 ReadAhead in = new ReadAhead(blob, "ocimount-fetch " + layer.blob().digest().shortHex())) {
                LayerApplier.Applied applied;
                try {
                    applied = applier.apply(in, prep.fs());
                    BlockInputStream.drain(in);
                } catch (LocalWriteException e) {
                    if (IoErrors.isDiskFull(e)) {
                        // nothing to learn from the rest of the blob and no room for it: break the read, don't wait it out
                        fetch.cancel(ErrorKind.CANCELLED, "the unpack failed");
                        throw localFailure(e);
                    }
                    throw blameBlobFirst(in, ingest, layer, e); // garbage fails writes too (mknod of a bad device number)
                } catch (IOException | LayerRefusedException e) {
                    throw blameBlobFirst(in, ingest, layer, e);
                }
                ingest.commit();
                return applied;
            }
        });
    }

    /** What fills a prepared snapshot directory, returning what the applier found in the layer. */
    private interface Fill {
        LayerApplier.Applied into(Preparation prep) throws IOException;
    }

    /**
     * Prepares a snapshot, fills it, and commits it as the layer's chainID once its diff_id is checked; on any
     * failure the unfinished directory is discarded, so nothing half-done becomes visible.
     */
    private void unpackInto(Layer layer, Cancellation cancel, Fill fill) {
        Preparation prep = snapshots.prepare();
        boolean committed = false;
        try {
            LayerApplier.Applied applied = fill.into(prep);
            checkDiffId(layer, applied);
            cancel.check();
            snapshots.commit(prep, layer.chainId(), applied.implicitDirs());
            committed = true;
        } catch (IOException e) {
            throw localFailure(e);
        } finally {
            if (!committed) {
                discard(prep, layer);
            }
        }
    }

    /** A local failure (a full disk above all): the node's problem, named as such, never blamed on the blob. */
    private static OciMountException localFailure(IOException e) {
        return new OciMountException(IoErrors.isDiskFull(e) ? ErrorKind.RESOURCE_EXHAUSTED : ErrorKind.INTERNAL,
                "unpack: " + IoErrors.describe(e), e);
    }

    /** Best effort: what cannot be deleted now is a {@code tmp-} directory, which the next start deletes. */
    private static void discard(Preparation prep, Layer layer) {
        try {
            prep.discard();
        } catch (RuntimeException e) {
            LOG.warning(() -> "discard the unfinished snapshot of layer " + layer.blob().digest() + ": " + e.getMessage()
                    + " (removed at the next start)");
        }
    }

    /**
     * A blob that does not decompress or extract may simply be the wrong blob: if reading the rest of it shows
     * a digest or size mismatch, that is the real cause and is reported instead.
     */
    private static RuntimeException blameBlobFirst(InputStream in, Ingest ingest, Layer layer, Exception cause) {
        if (cause instanceof OciMountException ome) {
            return ome;
        }
        if (!(cause instanceof LayerRefusedException refused && refused.isLimit())) {
            try {
                BlockInputStream.drain(in);
                ingest.commit();
            } catch (OciMountException blobProblem) {
                return blobProblem;
            } catch (IOException | RuntimeException ignored) {
                // the original cause stands
            }
        }
        return cause instanceof LocalWriteException local ? localFailure(local) : refusal(layer, cause);
    }

    private void unpackStored(Layer layer, Cancellation cancel) {
        if (snapshots.exists(layer.chainId())) {
            return;
        }
        unpackInto(layer, cancel, prep -> {
            try (InputStream in = content.open(layer.blob().digest())) {
                cancel.closeOnCancel(in);
                try {
                    return applier.apply(in, prep.fs());
                } catch (LocalWriteException e) {
                    throw localFailure(e);
                } catch (IOException | LayerRefusedException e) {
                    cancel.check();
                    throw refusal(layer, e);
                } finally {
                    cancel.forget(in);
                }
            }
        });
    }

    private static OciMountException refusal(Layer layer, Exception e) {
        if (e instanceof LayerRefusedException r) {
            return new OciMountException(r.isLimit() ? ErrorKind.RESOURCE_EXHAUSTED : ErrorKind.INVALID_ARGUMENT,
                    "layer refused: " + r.getMessage());
        }
        return new OciMountException(ErrorKind.DATA_LOSS, "unpack failed: " + e.getMessage(), e);
    }

    private static void checkDiffId(Layer layer, LayerApplier.Applied applied) {
        if (!applied.diffId().equals(layer.diffId())) {
            throw OciMountException.dataLoss("diff_id mismatch: the config says " + layer.diffId()
                    + ", the uncompressed layer is " + applied.diffId());
        }
    }

    private Boolean withSlot(Cancellation cancel, Runnable work) {
        try {
            while (!slots.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                cancel.check();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OciMountException(ErrorKind.CANCELLED, "interrupted");
        }
        try {
            work.run();
            return Boolean.TRUE;
        } finally {
            slots.release();
        }
    }
}
