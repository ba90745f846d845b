package io.ocimount.image;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** The size of the file system that holds the store and what it has free for us (statvfs), -1 when unknown. */
public interface DiskSpace {
    long capacity();

    long available();

    /** The file system of {@code dir}, asked again at every call. */
    static DiskSpace of(Path dir) {
        return new DiskSpace() {
            @Override
            public long capacity() {
                try {
                    return store().getTotalSpace();
                } catch (IOException e) {
                    return -1;
                }
            }

            @Override
            public long available() {
                try {
                    return store().getUsableSpace();
                } catch (IOException e) {
                    return -1; // not knowing the free space is no reason to fail a pull
                }
            }

            private FileStore store() throws IOException {
                return Files.getFileStore(dir);
            }
        };
    }
}
