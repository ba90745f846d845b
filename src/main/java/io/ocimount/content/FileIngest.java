package io.ocimount.content;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.sys.IoErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/** A partial blob file that hashes as it is written, and resumes by rehashing what an earlier attempt left. */
final class FileIngest implements Ingest {
    private final Descriptor desc;
    private final Path partial;
    private final Path target;
    private final MessageDigest sha = Digest.newSha256();
    private FileChannel channel;
    private long written;

    FileIngest(Descriptor desc, Path partial, Path target, boolean fresh) {
        this.desc = desc;
        this.partial = partial;
        this.target = target;
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
            rehash(existing);
            channel.position(existing);
            written = existing;
        } catch (IOException e) {
            closeChannel();
            throw localFailure("open ingest for", e);
        }
    }

    private void rehash(long length) throws IOException {
        try (InputStream in = Files.newInputStream(partial)) {
            byte[] buf = new byte[1 << 16];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                sha.update(buf, 0, n);
                left -= n;
            }
        }
    }

    @Override
    public long offset() {
        return written;
    }

    @Override
    public InputStream readBack() {
        try {
            return new BoundedInputStream(Files.newInputStream(partial), written);
        } catch (IOException e) {
            throw new OciMountException(ErrorKind.INTERNAL, "read back ingest of " + desc.digest() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(byte[] buf, int off, int len) {
        if (written + len > desc.size()) {
            discard();
            throw OciMountException.dataLoss("blob " + desc.digest() + ": more data than its descriptor's size of "
                    + desc.size() + " bytes");
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(buf, off, len);
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw localFailure("write blob", e);
        }
        sha.update(buf, off, len);
        written += len;
    }

    @Override
    public void commit() {
        if (written != desc.size()) {
            throw OciMountException.dataLoss("blob " + desc.digest() + ": size mismatch: expected " + desc.size()
                    + " bytes, got " + written);
        }
        Digest actual = Digest.fromRaw(sha.digest());
        if (!actual.equals(desc.digest())) {
            discard();
            throw OciMountException.dataLoss("blob " + desc.digest() + ": digest mismatch: expected " + desc.digest()
                    + ", got " + actual);
        }
        try {
            channel.force(false);
            closeChannel();
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("content store spans file systems", e);
            }
            Fsync.directory(target.getParent());
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
