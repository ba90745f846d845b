package io.ocimount.pack;

import io.ocimount.sys.Libdeflate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * gzip made with libdeflate, which compresses whole buffers only: it takes no preset dictionary and always ends
 * its stream, so pieces cannot be joined into one member as {@link ZlibMember} joins them. Each run of a block
 * (slices of one kind, {@link SliceKinds}) is its own gzip member instead: deflated by libdeflate, or stored blocks
 * for a random-looking run and for one deflate would not make smaller. Multi-member gzip is what eStargz layers
 * are; Go's gzip.Reader (containerd, CRI-O, skopeo), zlib, GNU gzip and ocimount read every member. A run loses
 * the 32 KiB of history zlib had, so text packs a little larger (0.6 % on the benchmark's tree).
 */
final class LibdeflateMembers implements GzipBlocks {
    private static final int MEMBER = GzipFraming.HEADER_SIZE + GzipFraming.TRAILER_SIZE;

    @Override
    public byte[] start() {
        return new byte[0];
    }

    @Override
    public byte[] encode(byte[] b, int from, int len, boolean last) {
        List<Run> runs = runs(SliceKinds.of(b, from, len), from, from + len);
        try (Libdeflate.Compressor c = Libdeflate.compressor(LEVEL)) {
            int bound = 0;
            for (Run r : runs) {
                bound += Math.max(c.gzipBound(r.length()), MEMBER + StoredBlocks.size(r.length()));
            }
            byte[] out = new byte[bound];
            int pos = 0;
            for (Run r : runs) {
                int deflated = r.stored() ? -1 : c.gzip(b, r.start(), r.length(), out, pos);
                pos = deflated >= 0 && deflated < MEMBER + StoredBlocks.size(r.length()) ? pos + deflated
                        : storedMember(b, r.start(), r.stop(), out, pos);
            }
            return Arrays.copyOf(out, pos);
        }
    }

    /** {@code b[start, stop)}, one member: stored, or deflated. */
    private record Run(int start, int stop, boolean stored) {
        int length() {
            return stop - start;
        }
    }

    /**
     * The block's members: a run of slices of one kind each. A repeat is a match only for a deflate that sees its
     * source, so a block holding one is a single deflated member instead, whose random parts libdeflate stores
     * itself, more slowly (a copy of the previous block's bytes still goes unmatched).
     */
    private static List<Run> runs(SliceKinds.Kinds kinds, int from, int end) {
        if (kinds.repeats()) {
            return List.of(new Run(from, end, false));
        }
        boolean[] stored = kinds.stored();
        List<Run> runs = new ArrayList<>();
        for (int i = 0, j; i < stored.length; i = j) {
            j = SliceKinds.runEnd(stored, i);
            runs.add(new Run(from + i * SliceKinds.SLICE, Math.min(end, from + j * SliceKinds.SLICE), stored[i]));
        }
        return runs;
    }

    private static int storedMember(byte[] b, int start, int stop, byte[] out, int pos) {
        System.arraycopy(GzipFraming.header(), 0, out, pos, GzipFraming.HEADER_SIZE);
        pos = StoredBlocks.write(b, start, stop, true, out, pos + GzipFraming.HEADER_SIZE);
        CRC32 crc = new CRC32();
        crc.update(b, start, stop - start);
        return GzipFraming.trailer(crc.getValue(), stop - start, out, pos);
    }

    /** Nothing, unless nothing was written at all: an empty stream is still one (empty) member. */
    @Override
    public byte[] end(long crc, long length) {
        if (length > 0) {
            return new byte[0];
        }
        byte[] empty = new byte[MEMBER + StoredBlocks.size(0)];
        return Arrays.copyOf(empty, storedMember(new byte[0], 0, 0, empty, 0));
    }

    @Override
    public boolean endsWithCrc() {
        return false;
    }
}
