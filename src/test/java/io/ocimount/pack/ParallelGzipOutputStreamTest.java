package io.ocimount.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import io.ocimount.unpack.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both engines: what comes out is the input, the same bytes whatever the threads, random runs stored and text
 * deflated. Then each engine's own framing: zlib's one member, libdeflate's member per run.
 */
class ParallelGzipOutputStreamTest {
    private static final int B = ParallelGzipOutputStream.BLOCK;
    private static final int SLICE = ParallelGzipOutputStream.SLICE;

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] text(int size, long seed) {
        StringBuilder s = new StringBuilder(size + 100);
        Random r = new Random(seed);
        while (s.length() < size) {
            s.append("entry ").append(r.nextInt(5000)).append(": the quick brown fox, line ").append(s.length())
                    .append('\n');
        }
        return Arrays.copyOf(s.toString().getBytes(StandardCharsets.US_ASCII), size);
    }

    private static byte[] mixed(int size) { // noise and text alternating every 4 KiB: both choices within one block
        byte[] b = text(size, size);
        byte[] noise = random(size, size);
        for (int i = 0; i < size; i++) {
            if ((i / 4096) % 2 == 0) {
                b[i] = noise[i];
            }
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    private static byte[] gzip(byte[] data, int threads, int chunk) throws IOException {
        return gzip(GzipEngine.ZLIB, data, threads, chunk);
    }

    /** The engine, or the test is skipped where libdeflate0 is not installed (native-tests/run.sh installs it). */
    private static GzipEngine usable(GzipEngine e) {
        assumeTrue(e.unavailableBecause() == null, e.unavailableBecause());
        return e;
    }

    private static byte[] gzip(GzipEngine engine, byte[] data, int threads, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, threads, usable(engine))) {
            for (int off = 0; off < data.length; off += chunk) {
                gz.write(data, off, Math.min(chunk, data.length - off));
            }
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    /** What a pull reads layers with. */
    private static byte[] pullGunzip(byte[] gz) throws IOException {
        try (var in = Compression.detect(new ByteArrayInputStream(gz)).decompressed()) {
            return in.readAllBytes();
        }
    }

    private static byte[] systemGunzip(byte[] gz) throws IOException, InterruptedException {
        Path f = Files.createTempFile("pgz", ".gz");
        try {
            Files.write(f, gz);
            Process p = new ProcessBuilder("gzip", "-dc", f.toString()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            assertEquals(0, p.waitFor(), "gzip -dc exit status (it checks the CRC and the length)");
            return out;
        } finally {
            Files.delete(f);
        }
    }

    /** One deflate stream right after the 10-byte header, ending just before the trailer, which is right. */
    private static void assertOneMember(byte[] data, byte[] gz) throws DataFormatException {
        Inflater inf = new Inflater(true);
        inf.setInput(gz, 10, gz.length - 10);
        byte[] out = new byte[data.length + 1];
        int n = 0;
        while (!inf.finished() && n < out.length) {
            int k = inf.inflate(out, n, out.length - n);
            if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                break;
            }
            n += k;
        }
        assertTrue(inf.finished(), "the deflate stream ends (a final block)");
        assertEquals(8, inf.getRemaining(), "then only the trailer");
        inf.end();
        assertArrayEquals(data, Arrays.copyOf(out, n));
        CRC32 crc = new CRC32();
        crc.update(data);
        assertEquals((int) crc.getValue(), littleEndian(gz, gz.length - 8), "CRC32");
        assertEquals(data.length, littleEndian(gz, gz.length - 4), "ISIZE");
    }

    private static int littleEndian(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | b[at + 3] << 24;
    }

    /** The stored deflate blocks (not final) holding {@code data}: what a random-looking run is written as. */
    private static byte[] storedBlocks(byte[] data) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int off = 0;
        do {
            int n = Math.min(65535, data.length - off);
            o.writeBytes(new byte[] {0, (byte) n, (byte) (n >>> 8), (byte) ~n, (byte) (~n >>> 8)});
            o.write(data, off, n);
            off += n;
        } while (off < data.length);
        return o.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @ParameterizedTest
    @EnumSource(GzipEngine.class)
    void roundTripsRandomTextAndMixedAtEveryBoundary(GzipEngine engine) throws Exception {
        int[] sizes = {0, 1, 3, 100, SLICE - 1, SLICE, SLICE + 1, 65535, 65536, B - 1, B, B + 1, 3 * B + B / 2};
        for (int size : sizes) {
            for (byte[] data : new byte[][] {random(size, size), text(size, size), mixed(size)}) {
                byte[] gz = gzip(engine, data, 2, 7919);
                assertArrayEquals(data, gunzip(gz), "size " + size);
                assertArrayEquals(data, pullGunzip(gz), "as a pull reads it, size " + size);
                if (engine == GzipEngine.ZLIB) {
                    assertOneMember(data, gz);
                }
                assertArrayEquals(data, systemGunzip(gz), "gzip -dc, size " + size); // the system's zlib agrees too
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GzipEngine.class)
    void bytesDependOnTheInputOnlyNotOnThreadsOrWriteSizes(GzipEngine engine) throws IOException {
        for (byte[] data : new byte[][] {mixed(5 * B + 12345), random(2 * B + 7, 3), text(2 * B + 7, 3)}) {
            byte[] one = gzip(engine, data, 1, 1 << 16);
            assertArrayEquals(one, gzip(engine, data, 4, 333));
            assertArrayEquals(one, gzip(engine, data, 2, data.length));
            assertEquals(0x1f, one[0] & 0xff);
            assertEquals(0xff, one[9] & 0xff, "OS unknown, mtime 0: a header that never changes");
        }
        byte[] x = "x".repeat(1000).getBytes(StandardCharsets.UTF_8);
        assertTrue(gzip(engine, x, 2, 10).length < 100);
    }

    @ParameterizedTest
    @EnumSource(GzipEngine.class)
    void randomBytesAreStoredAndTextIsDeflated(GzipEngine engine) throws IOException {
        byte[] noise = random(3 * B + 5000, 1);
        int overhead = gzip(engine, noise, 2, 1 << 16).length - noise.length;
        assertTrue(overhead > 0 && overhead < 400, "stored: 5 bytes per 64 KiB plus headers and trailers, " + overhead);

        byte[] text = text(3 * B + 5000, 1);
        assertTrue(gzip(engine, text, 2, 1 << 16).length < text.length / 4, "text is compressed as before");

        byte[] mixed = mixed(2 * B);
        int size = gzip(engine, mixed, 2, 1 << 16).length;
        assertTrue(size > mixed.length / 2 && size < mixed.length * 0.6, "noise stored, text deflated: " + size);
    }

    @Test
    void libdeflateWritesAMemberPerRunAndARandomRunAsStoredBlocks() throws IOException {
        byte[] noise = random(3 * SLICE, 21);
        byte[] before = text(5 * SLICE, 22);
        byte[] after = text(2 * SLICE, 23);
        byte[] gz = gzip(GzipEngine.LIBDEFLATE, concat(before, noise, after), 2, 1000);
        // the noise is its own member: a header, stored blocks of which the last is final, its CRC and length
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        member.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff});
        byte[] stored = storedBlocks(noise);
        stored[0] = 1; // BFINAL
        member.writeBytes(stored);
        CRC32 crc = new CRC32();
        crc.update(noise);
        for (long v : new long[] {crc.getValue(), noise.length}) {
            for (int i = 0; i < 4; i++) {
                member.write((int) (v >>> (8 * i)) & 0xff);
            }
        }
        int at = indexOf(gz, member.toByteArray(), 0);
        assertTrue(at > 10, "the stored member after the text's member: " + at);
        byte[] first = Arrays.copyOf(gz, at);
        assertArrayEquals(before, gunzip(first), "the text before it is a whole member of its own");
        byte[] last = Arrays.copyOfRange(gz, at + member.size(), gz.length);
        assertArrayEquals(after, gunzip(last), "and the text after it too");
        assertEquals(gz.length, at + member.size() + last.length);
    }

    @Test
    void aRandomSliceIsStoredTheSameWhereverItSitsAndWhateverComesBefore() throws IOException {
        byte[] noise = random(20 * SLICE, 7);
        byte[] expected = storedBlocks(noise);
        for (byte[] history : new byte[][] {new byte[0], text(32 << 10, 1), random(32 << 10, 2), text(100, 3)}) {
            for (int at : new int[] {0, SLICE, 100 * SLICE}) { // slice-aligned within its block, text around it
                byte[] block = concat(text(at, 4), noise, text(10 * SLICE, 5));
                byte[] in = concat(history, block);
                byte[] piece = new ZlibMember().encode(in, history.length, block.length, false);
                assertTrue(indexOf(piece, expected, 0) >= 0, "stored as is, at " + at + " after " + history.length);
                int text = block.length - noise.length;
                assertTrue(piece.length - expected.length < text / 2, "the text around it deflated: " + piece.length);
            }
        }
        // through the stream: the same 1 MiB of noise as the first block and as the fourth, after text
        byte[] block = random(B, 8);
        byte[] gz = gzip(concat(block, text(2 * B, 9), block), 3, 4096);
        byte[] stored = storedBlocks(block);
        int first = indexOf(gz, stored, 0);
        assertEquals(10, first, "right after the gzip header");
        assertTrue(indexOf(gz, stored, first + 1) > first, "and the same bytes again for the fourth block");
    }

    /** The deflate stream before slices: each block deflated whole, the last one finished. */
    private static byte[] deflatedAsBefore(byte[] data) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[64 << 10];
        for (int off = 0; off <= data.length; off += B) { // a full block is sync-flushed: then an empty last one
            Deflater d = new Deflater(6, true);
            if (off > 0) {
                d.setDictionary(data, off - (32 << 10), 32 << 10);
            }
            d.setInput(data, off, Math.min(B, data.length - off));
            boolean last = off + B > data.length;
            if (last) {
                d.finish();
            }
            int n;
            do {
                n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                o.write(buf, 0, n);
            } while (last ? !d.finished() : n == buf.length || !d.needsInput());
            d.end();
        }
        return o.toByteArray();
    }

    @Test
    void dataWithNothingRandomDeflatesToTheSameBytesAsBefore() throws IOException {
        for (byte[] data : new byte[][] {new byte[0], text(100, 1), text(B, 2), text(2 * B + 5, 3)}) {
            byte[] gz = gzip(data, 2, 4096);
            assertArrayEquals(deflatedAsBefore(data), Arrays.copyOfRange(gz, 10, gz.length - 8), "size " + data.length);
        }
    }

    /** A histogram cannot tell a repeat of random bytes from new ones; deflate can, and must still get to. */
    @ParameterizedTest
    @EnumSource(GzipEngine.class)
    void randomLookingBytesThatRepeatWithin32KiBAreStillDeflated(GzipEngine engine) throws IOException {
        byte[] icon = random(8 << 10, 7);
        List<byte[]> parts = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            parts.add(text(512, i)); // a tar header's worth of other bytes between the copies
            parts.add(icon);
        }
        byte[] tiled = concat(parts.toArray(byte[][]::new));
        byte[] gz = gzip(engine, tiled, 2, 1 << 16);
        assertTrue(gz.length < tiled.length / 10, "200 copies of one random 8 KiB file: " + gz.length + " of " + tiled.length);
        assertArrayEquals(tiled, gunzip(gz));

        byte[] pattern = new byte[4 << 20];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) i; // every byte value equally often: reads as random to a histogram
        }
        assertTrue(gzip(engine, pattern, 2, 1 << 16).length < pattern.length / 20, "a tiled pattern is deflated");
        assertArrayEquals(gzip(engine, tiled, 1, 7), gz, "still independent of threads and write sizes");
    }

    /** A random-looking run right after its source: zlib deflates it with that history; libdeflate must see it too. */
    @ParameterizedTest
    @EnumSource(GzipEngine.class)
    void aCopyRightAfterItsSourceIsDeflatedAgainstIt(GzipEngine engine) throws IOException {
        byte[] noise = random(20 << 10, 41);
        byte[] data = concat(noise, noise);
        byte[] gz = gzip(engine, data, 2, 1 << 16);
        assertTrue(gz.length < noise.length + noise.length / 10, "the copy is a match: " + gz.length + " of " + data.length);
        assertArrayEquals(data, gunzip(gz));
    }

    /** Only every 8th position is kept as a source, so copies at every distance modulo 8 must be found all the same. */
    @ParameterizedTest
    @EnumSource(GzipEngine.class)
    void repeatsAreFoundAtEveryDistance(GzipEngine engine) throws IOException {
        byte[] chunk = random(4 << 10, 31);
        for (int gap = 501; gap < 509; gap++) { // eight gaps: eight distances modulo 8
            List<byte[]> parts = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                parts.add(text(gap, i));
                parts.add(chunk);
            }
            byte[] data = concat(parts.toArray(byte[][]::new));
            byte[] gz = gzip(engine, data, 2, 1 << 16);
            assertTrue(gz.length < data.length / 6, "gap " + gap + ": " + gz.length + " of " + data.length);
            assertArrayEquals(data, gunzip(gz));
        }
    }

    @Test
    void aRunThatDeflateWouldEnlargeIsStored() throws IOException {
        byte[] tail = random(3, 11); // too short to be judged random, and deflate's framing costs more than storing
        assertArrayEquals(storedBlocks(tail), new ZlibMember().encode(tail, 0, tail.length, false));
        byte[] data = concat(text(B, 12), tail);
        assertArrayEquals(data, gunzip(gzip(data, 2, B)));
    }
}
