package io.ocimount.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreUsageTest {
    @TempDir
    Path root;

    @Test
    void aFileWithSeveralNamesIsCountedOnceAndLinksAndDirectoriesCountAsInodes() throws Exception {
        Path blob = Files.createDirectories(root.resolve("content/blobs/sha256")).resolve("aa");
        Files.write(blob, new byte[1_000_000]);
        Path tree = Files.createDirectories(root.resolve("snapshots/k/fs/models"));
        Files.createLink(tree.resolve("weights.bin"), blob); // as an artifact volume links its blobs
        Files.write(tree.resolve("other"), new byte[1234]);
        Files.createSymbolicLink(tree.resolve("link"), Path.of("other"));
        StoreUsage.Usage u = new StoreUsage(root).get();
        long linkSize = Files.readAttributes(tree.resolve("link"), "unix:size", java.nio.file.LinkOption.NOFOLLOW_LINKS)
                .values().stream().mapToLong(v -> (Long) v).sum();
        assertEquals(1_000_000 + 1234 + linkSize, u.bytes());
        // directories: root, content, blobs, sha256, snapshots, k, fs, models = 8; files: blob, other, link = 3
        assertEquals(11, u.inodes());
    }
}
