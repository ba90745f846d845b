package io.ocimount.content;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.sys.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A partial blob file that is verified as it is written, and resumes by re-verifying what an earlier attempt left. */
final class FileIngest implements Ingest {
    private final Descriptor desc;
    private final Path partial;
    private final BlobDirectory blobs;
    private final BlobVerifier verifier;
    private FileChannel channel;

    /** @param partial where the bytes wait for the commit: on {@code blobs}' file system, so it can be renamed in */
    FileIngest(Descriptor desc, Path partial, BlobDirectory blobs, boolean fresh) {
        this.desc = desc;
        this.partial = partial;
        this.blobs = blobs;
        this.verifier = new BlobVerifier("blob " + desc.digest(), desc);
        try {
            if (fresh) {
                Files.deleteIfExists(partial);
            }
            channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            long existing = channel.size();
            if (existing > desc.size()) {
                channel.truncate(0);
                existing = 0;
            }
            try (InputStream held = new BoundedInputStream(Files.newInputStream(partial), existing)) {
                existing = verifier.update(held);
            }
            channel.position(existing);
        } catch (IOException e) {
            closeChannel();
            throw localFailure("open ingest for", e);
        }
    }

    @Override
    public long offset() {
        return verifier.size();
    }

    @Override
    public InputStream readBack() {
        try {
            return new BoundedInputStream(Files.newInputStream(partial), offset());
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "read back ingest of " + desc.digest() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(byte[] buf, int off, int len) {
        try {
            verifier.admit(len); // refused before it reaches the disk
        } catch (OciMountException tooLong) {
            discard();
            throw tooLong;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(buf, off, len);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw localFailure("write blob", e);
        }
        verifier.update(buf, off, len);
    }

    @Override
    public void commit() {
        boolean whole = offset() == desc.size();
        try {
            verifier.verify();
        } catch (OciMountException mismatch) {
            if (whole) {
                discard(); // all of it and still wrong: a resume cannot mend it (a short one is kept for a resume)
            }
            throw mismatch;
        }
        try {
            channel.force(false);
            closeChannel();
            blobs.moveIn(partial, desc.digest());
        } catch (IOException e) {
            throw localFailure("commit blob", e);
        }
    }

    /** A full disk is RESOURCE_EXHAUSTED, as kubelet's image GC would want to know; the rest is INTERNAL. */
    private OciMountException localFailure(String operation, IOException e) {
        return new OciMountException(IoErrors.isDiskFull(e) ? ErrorKind.RESOURCE_EXHAUSTED : ErrorKind.INTERNAL,
                operation + " " + desc.digest() + ": " + IoErrors.describe(e), e);
    }

    private void discard() {
        closeChannel();
        try {
            Files.deleteIfExists(partial);
        } catch (IOException ignored) {
            // a leftover partial is rehashed and re-verified by the next attempt anyway
        }
    }

    @Override
    public void close() {
        closeChannel();
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was committed through this channel
            }
            channel = null;
        }
    }
}
