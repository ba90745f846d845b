package io.ocimount.unpack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

/** A regular file being written: always a new file (O_EXCL, so never through a symlink), created with its mode. */
final class FileSink {
    private static final Set<StandardOpenOption> NEW = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private final Path path;
    private final int perms;
    private FileChannel channel;

    FileSink(Path path, int perms) {
        this.path = path;
        this.perms = perms;
    }

    static void write(Path path, int perms, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(path, NEW, Perms.of(perms))) {
            writeAll(ch, bytes);
        }
    }

    void open() throws IOException {
        channel = FileChannel.open(path, NEW, Perms.of(perms));
    }

    void write(byte[] chunk) throws IOException {
        writeAll(channel, chunk);
    }

    void close() throws IOException {
        channel.close();
    }

    private static void writeAll(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
