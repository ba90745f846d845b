package io.ocimount.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class ParallelGzipOutputStreamTest {
    private static byte[] input(int size) {
        byte[] b = new byte[size];
        Random r = new Random(size);
        for (int i = 0; i < size; i++) { // half noise, half text: both code paths of deflate
            b[i] = (i / 4096) % 2 == 0 ? (byte) r.nextInt() : (byte) ("text line " + (i / 64) + "\n").charAt(i % 10);
        }
        return b;
    }

    private static byte[] gzip(byte[] data, int threads, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gz = new ParallelGzipOutputStream(out, threads)) {
            for (int off = 0; off < data.length; off += chunk) {
                gz.write(data, off, Math.min(chunk, data.length - off));
            }
        }
        return out.toByteArray();
    }

    @Test
    void roundTripsAtEveryBlockBoundaryAndIsOneMember() throws IOException {
        int b = ParallelGzipOutputStream.BLOCK;
        for (int size : new int[] {0, 1, 100, b - 1, b, b + 1, 3 * b + b / 2}) {
            byte[] data = input(size);
            byte[] gz = gzip(data, 2, 7919);
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
                assertArrayEquals(data, in.readAllBytes(), "size " + size);
            }
            java.nio.file.Path f = java.nio.file.Files.createTempFile("pgz", ".gz");
            java.nio.file.Files.write(f, gz);
            Process p = new ProcessBuilder("gzip", "-dc", f.toString()).start(); // the system's zlib agrees too
            assertArrayEquals(data, p.getInputStream().readAllBytes(), "gzip -dc, size " + size);
            java.nio.file.Files.delete(f);
        }
    }

    @Test
    void bytesDependOnTheInputOnlyNotOnThreadsOrWriteSizes() throws IOException {
        byte[] data = input(5 * ParallelGzipOutputStream.BLOCK + 12345);
        byte[] one = gzip(data, 1, 1 << 16);
        assertArrayEquals(one, gzip(data, 4, 333));
        assertArrayEquals(one, gzip(data, 2, data.length));
        assertTrue(one.length < data.length * 0.6, "it compresses: " + one.length);
        assertEquals(0x1f, one[0] & 0xff);
        assertEquals(0xff, one[9] & 0xff, "OS unknown, mtime 0: a header that never changes");
        byte[] text = "x".repeat(1000).getBytes(StandardCharsets.UTF_8);
        assertTrue(gzip(text, 2, 10).length < 100);
    }
}
