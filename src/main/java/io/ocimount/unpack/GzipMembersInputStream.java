package io.ocimount.unpack;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * gzip of any number of members, read as Go's gzip.Reader (containerd's) reads it: after each member's trailer
 * (CRC-32 and length checked) the next byte decides, end of stream or another member's header, and anything else
 * is an error. The JDK 17 GZIPInputStream looks for a next member only while {@code available()} says bytes are
 * waiting, so a network stream that pauses at a member boundary ended the layer early, and it skipped a malformed
 * member silently. Multi-member layers are common: eStargz, pigz --independent, bgzip, ocimount pack.
 */
final class GzipMembersInputStream extends InputStream {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final InputStream in;
    private final byte[] buf;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final CRC32 headerCrc = new CRC32();
    private final byte[] one = new byte[1];
    private int pos; // buf[pos, limit) is read but not yet given to the inflater or parsed
    private int limit;
    private int member;
    private boolean eof;

    GzipMembersInputStream(InputStream in, int bufferSize) throws IOException {
        this.in = in;
        this.buf = new byte[bufferSize];
        if (!readHeader()) {
            throw new EOFException("gzip stream is empty");
        }
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (!eof) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException("gzip member " + member + ": " + e.getMessage());
            }
            if (n > 0) {
                crc.update(b, off, n);
                return n;
            }
            if (inflater.finished()) {
                pos = limit - inflater.getRemaining();
                readTrailer();
                eof = !readHeader();
            } else if (inflater.needsDictionary()) {
                throw new ZipException("gzip member " + member + ": a deflate stream with a preset dictionary");
            } else if (inflater.needsInput()) {
                if (!fill()) {
                    throw new EOFException("gzip member " + member + " ends early (the stream is cut)");
                }
                inflater.setInput(buf, 0, limit);
            }
        }
        return -1;
    }

    /** The next member's header; false at the end of the stream, which only a member boundary may be. */
    private boolean readHeader() throws IOException {
        int id1 = readByteOrEnd();
        if (id1 < 0) {
            return false;
        }
        member++;
        headerCrc.reset();
        headerCrc.update(id1);
        int id2 = readByteOrEnd(); // junk after the last member may be shorter than a header: name it as junk
        int method = id2 < 0 ? -1 : readByteOrEnd();
        if (id1 != 0x1f || id2 != 0x8b || method != 8) {
            throw new ZipException(member == 1 ? "not a gzip stream"
                    : "the bytes after gzip member " + (member - 1) + " are not another member (they start "
                    + String.format("%02x", id1) + (id2 < 0 ? "" : String.format(" %02x", id2))
                    + (method < 0 ? "" : String.format(" %02x", method)) + ")");
        }
        headerCrc.update(id2);
        headerCrc.update(method);
        int flags = headerByte(); // reserved bits are ignored, as Go's gzip.Reader (containerd's) ignores them
        for (int i = 0; i < 6; i++) { // mtime, extra flags, OS
            headerByte();
        }
        if ((flags & FEXTRA) != 0) {
            int xlen = headerByte() | headerByte() << 8;
            for (int i = 0; i < xlen; i++) {
                headerByte();
            }
        }
        if ((flags & FNAME) != 0) {
            while (headerByte() != 0) {
                // the original file name, not used
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (headerByte() != 0) {
                // a comment, not used
            }
        }
        if ((flags & FHCRC) != 0) {
            int expected = (int) headerCrc.getValue() & 0xffff;
            if ((readByte() | readByte() << 8) != expected) {
                throw new ZipException("gzip member " + member + ": header CRC mismatch");
            }
        }
        inflater.reset();
        crc.reset();
        inflater.setInput(buf, pos, limit - pos);
        return true;
    }

    private void readTrailer() throws IOException {
        long expectedCrc = readInt();
        long expectedSize = readInt();
        if (expectedCrc != crc.getValue()) {
            throw new ZipException("gzip member " + member + ": CRC-32 mismatch (trailer " + Long.toHexString(expectedCrc)
                    + ", data " + Long.toHexString(crc.getValue()) + ")");
        }
        if (expectedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
            throw new ZipException("gzip member " + member + ": length mismatch (trailer " + expectedSize + ", data "
                    + inflater.getBytesWritten() + " mod 2^32)");
        }
    }

    private long readInt() throws IOException {
        return (readByte() | readByte() << 8 | readByte() << 16 | (long) readByte() << 24) & 0xffffffffL;
    }

    private int headerByte() throws IOException {
        int b = readByte();
        headerCrc.update(b);
        return b;
    }

    private int readByte() throws IOException {
        int b = readByteOrEnd();
        if (b < 0) {
            throw new EOFException("gzip member " + member + " ends early (the stream is cut)");
        }
        return b;
    }

    private int readByteOrEnd() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    /** Reads more into buf, blocking until at least one byte or the end. */
    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
