package io.ocimount.unpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Layers of several gzip members (eStargz, pigz --independent, bgzip, and ocimount pack's own) must come out whole,
 * however the network splits them, and a damaged member must be refused rather than cut short or skipped.
 */
class CompressionTest {
    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write(data);
        }
        return b.toByteArray();
    }

    private static byte[] data(int size, long seed) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder();
        while (s.length() < size) {
            s.append("line ").append(r.nextInt(1000)).append('\n');
        }
        return s.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    /** The pieces one after another, each read ending where its piece ends, available() 0 between: a socket's way. */
    private static byte[] decompress(byte[]... pieces) throws IOException {
        List<InputStream> streams = Arrays.stream(pieces).map(p -> (InputStream) new ByteArrayInputStream(p)).toList();
        Compression.Detected d = Compression.detect(new SequenceInputStream(Collections.enumeration(streams)));
        assertEquals(Compression.GZIP, d.compression());
        try (InputStream in = d.decompressed()) {
            return in.readAllBytes();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    @Test
    void everyMemberComesOutEvenWhenTheStreamPausesAtAMemberBoundary() throws IOException {
        byte[] a = data(300_000, 1);
        byte[] b = data(200_000, 2);
        byte[] c = data(10, 3);
        // the JDK's GZIPInputStream gave only a: it looks for a next member only when available() is above 0
        assertArrayEquals(concat(a, b, c), decompress(gzip(a), gzip(b), gzip(c)));
        assertArrayEquals(concat(a, b, c), decompress(concat(gzip(a), gzip(b), gzip(c))), "in one piece");
        byte[] all = concat(gzip(a), gzip(b));
        assertArrayEquals(concat(a, b), decompress(Arrays.copyOf(all, 7), Arrays.copyOfRange(all, 7, all.length - 3),
                Arrays.copyOfRange(all, all.length - 3, all.length)), "split inside a header and inside a trailer");
        assertArrayEquals(concat(a, c), decompress(gzip(a), gzip(new byte[0]), gzip(c)), "an empty member");
    }

    @Test
    void headersWithNameCommentExtraAndHeaderCrcAreRead() throws IOException {
        byte[] body = data(5000, 4);
        byte[] plain = gzip(body);
        // FLG: FHCRC 2, FEXTRA 4, FNAME 8, FCOMMENT 16
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
        h.writeBytes(new byte[] {4, 0, 'a', 'b', 0, 0}); // XLEN 4, then 4 bytes of extra field
        h.writeBytes("name.tar\0".getBytes(StandardCharsets.US_ASCII));
        h.writeBytes("a comment\0".getBytes(StandardCharsets.US_ASCII));
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(h.toByteArray());
        h.write((int) crc.getValue() & 0xff);
        h.write((int) (crc.getValue() >>> 8) & 0xff);
        byte[] member = concat(h.toByteArray(), Arrays.copyOfRange(plain, 10, plain.length));
        assertArrayEquals(concat(body, body), decompress(member, plain));

        byte[] badHeaderCrc = member.clone();
        badHeaderCrc[h.size() - 1] ^= 1;
        assertTrue(assertThrows(IOException.class, () -> decompress(badHeaderCrc)).getMessage().contains("header CRC"));
    }

    @Test
    void aDamagedOrCutMemberIsRefusedAndNamed() throws IOException {
        byte[] a = gzip(data(100_000, 5));
        byte[] b = gzip(data(100_000, 6));
        byte[] badCrc = b.clone();
        badCrc[b.length - 8] ^= 1;
        IOException e = assertThrows(IOException.class, () -> decompress(a, badCrc));
        assertTrue(e.getMessage().contains("gzip member 2") && e.getMessage().contains("CRC"), e.getMessage());

        byte[] badSize = b.clone();
        badSize[b.length - 4] ^= 1;
        e = assertThrows(IOException.class, () -> decompress(a, badSize));
        assertTrue(e.getMessage().contains("gzip member 2") && e.getMessage().contains("length"), e.getMessage());

        for (int cut : new int[] {5, 100, b.length - 4}) {
            e = assertThrows(EOFException.class, () -> decompress(a, Arrays.copyOf(b, cut)), "cut at " + cut);
            assertTrue(e.getMessage().contains("gzip member 2"), e.getMessage());
        }
    }

    @Test
    void bytesAfterTheLastMemberThatAreNotAMemberAreRefused() {
        // Go's gzip.Reader, which containerd uses, refuses them too; the JDK's GZIPInputStream ignored them
        for (byte[] junk : new byte[][] {{0, 0, 0, 0}, {0}, {0x1f, (byte) 0x8b}}) { // shorter than a header too
            IOException e = assertThrows(IOException.class, () -> decompress(gzip(data(1000, 7)), junk));
            assertTrue(e.getMessage().contains("bytes after gzip member 1 are not another member"), e.getMessage());
        }
    }
}
