package io.ocimount.pack;

/**
 * How {@link ParallelGzipOutputStream} turns its 1 MiB blocks into gzip. {@link #encode} runs on any thread, and
 * its bytes depend only on the block and the 32 KiB before it, so a pack is the same whatever the thread count.
 */
interface GzipBlocks {
    int LEVEL = 6; // gzip's and Docker's default

    /** What comes before the first block. */
    byte[] start();

    /** The block {@code b[from, from + len)}, which may refer back to the (at most 32 KiB of) bytes before it. */
    byte[] encode(byte[] b, int from, int len, boolean last);

    /** What comes after the last block, given the CRC-32 (when {@link #endsWithCrc}) and the length of everything. */
    byte[] end(long crc, long length);

    /** Whether {@link #end} needs the CRC-32 of everything: one member does, a member per run carries its own. */
    boolean endsWithCrc();
}
