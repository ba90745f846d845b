package io.ocimount.unpack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

/** A regular file being written: always a new file (O_EXCL, so never through a symlink), created with its mode. */
final class FileSink implements java.io.Closeable {
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
            writeAll(ch, bytes, path);
        }
    }

    void open() throws IOException {
        channel = FileChannel.open(path, NEW, Perms.of(perms));
    }

    /** On failure the file is closed here: the writer skips every later task, this file's close among them. */
    void write(byte[] chunk) throws IOException {
        try {
            writeAll(channel, chunk, path);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Closing twice, or a sink never opened, is harmless: the writer's clean-up may close it again. */
    @Override
    public void close() throws IOException {
        FileChannel ch = channel;
        channel = null;
        if (ch != null) {
            ch.close();
        }
    }

    /** The JDK's write error is strerror alone; the path is added so the message says which file. */
    private static void writeAll(FileChannel ch, byte[] bytes, Path path) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            throw new IOException("write " + path + ": " + e.getMessage(), e);
        }
    }
}
