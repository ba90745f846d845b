package io.ocimount.snapshot;

import io.ocimount.sys.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A snapshot being unpacked: {@code fs} is where the layer goes; {@link #discard()} removes all of it. */
public record Preparation(Path dir, Path fs) {
    public void discard() {
        try {
            Trees.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("discard " + dir, e);
        }
    }
}
