package io.ocimount.unpack;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * How a layer blob is compressed. The bytes decide, as containerd's DecompressStream does: a media type that
 * says gzip on a zstd blob (or the reverse) is common enough in the wild that trusting the label breaks pulls.
 */
public enum Compression {
    GZIP, ZSTD, NONE;

    private static final int BUFFER = 1 << 16;

    /** Looks at the first bytes of the stream; the returned stream still starts at byte 0. */
    public static Detected detect(InputStream raw) throws IOException {
        BufferedInputStream in = raw instanceof BufferedInputStream b ? b : new BufferedInputStream(raw, BUFFER);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        Compression c = NONE;
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            c = GZIP;
        } else if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            c = ZSTD;
        }
        return new Detected(c, in);
    }

    /** What the media type claims; null when the type says nothing (Docker's foreign layers, artifacts). */
    public static Compression claimedBy(String mediaType) {
        if (mediaType == null) {
            return null;
        }
        if (mediaType.endsWith("+gzip") || mediaType.endsWith(".tar.gzip")
                || mediaType.equals("application/vnd.docker.image.rootfs.diff.tar.gzip")) {
            return GZIP;
        }
        if (mediaType.endsWith("+zstd") || mediaType.endsWith(".tar.zstd")) {
            return ZSTD;
        }
        if (mediaType.endsWith(".tar") || mediaType.endsWith("tar")) {
            return NONE;
        }
        return null;
    }

    /** A stream's detected compression and the stream positioned at its start. */
    public record Detected(Compression compression, InputStream stream) {
        public InputStream decompressed() throws IOException {
            return switch (compression) {
                case GZIP -> new GzipMembersInputStream(stream, BUFFER);
                case ZSTD -> new ZstdInputStream(stream);
                case NONE -> stream;
            };
        }
    }
}
