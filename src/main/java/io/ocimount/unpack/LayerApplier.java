package io.ocimount.unpack;

import io.ocimount.oci.Digest;
import io.ocimount.streams.BlockInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Applies one layer blob to an empty directory in a single pass: detect the compression from the bytes,
 * decompress, hash and count the tar stream (the diff_id), extract it, then read the rest of the stream so
 * that trailing padding is in the hash, as containerd and umoci do.
 */
public final class LayerApplier {
    /** File data read ahead of the writer thread; enough to ride out a burst of small files. */
    private static final long WRITE_QUEUE_BYTES = 32L << 20;
    private final LayerLimits limits;
    private final LayerFs fs;

    public LayerApplier(LayerLimits limits) {
        this(limits, SyscallLayerFs.INSTANCE);
    }

    /** @param fs where the calls that need root go: the system calls themselves, or a test's stand-in */
    public LayerApplier(LayerLimits limits, LayerFs fs) {
        this.limits = limits;
        this.fs = fs;
    }

    /** What one application produced; the caller compares {@code diffId} with the config's. */
    public record Applied(Digest diffId, Compression compression, long uncompressedBytes, long entries,
                          List<String> implicitDirs, int skippedXattrs) {
    }

    /**
     * @throws LayerRefusedException for an entry that breaks a rule or a limit (the message names it)
     * @throws LocalWriteException for a local write that failed (a full disk)
     * @throws IOException for a stream that cannot be decompressed or read
     */
    public Applied apply(InputStream blob, Path dir) throws IOException {
        Compression.Detected detected = Compression.detect(blob);
        DiffIdStream tar;
        TarExtractor.Result r;
        try (FsWriter writer = new FsWriter("ocimount-write " + dir.getParent().getFileName(), WRITE_QUEUE_BYTES)) {
            try {
                tar = new DiffIdStream(detected.decompressed(), limits.maxBytes());
                r = new TarExtractor(dir, limits, writer, fs).extract(tar);
                BlockInputStream.drain(tar); // tar padding and trailing blocks: the diff_id covers the whole stream
            } catch (IOException | RuntimeException e) {
                writer.rethrow(); // a failed write is the cause (it interrupted the read this reports)
                throw e;
            }
        } catch (LocalWriteException local) {
            throw local; // our own disk, not the layer's bytes
        } catch (IOException e) {
            throw new IOException(detected.compression().name().toLowerCase(java.util.Locale.ROOT) + " tar stream: "
                    + e.getMessage(), e);
        }
        return new Applied(tar.digest(), detected.compression(), tar.count(), r.entries(), r.implicitDirs(),
                r.skippedXattrs());
    }
}
