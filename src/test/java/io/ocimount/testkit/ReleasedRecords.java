package io.ocimount.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Record files exactly as an earlier release wrote them ({@code src/test/resources/records/}), to prove that the
 * current code still loads them and writes them back unchanged.
 */
public final class ReleasedRecords {
    private ReleasedRecords() {
    }

    /** @param name "images/…json" or "volumes/…json" */
    public static byte[] bytes(String name) throws IOException {
        try (InputStream in = ReleasedRecords.class.getResourceAsStream("/records/" + name)) {
            if (in == null) {
                throw new IOException("no released record " + name);
            }
            return in.readAllBytes();
        }
    }

    /** Puts the record file into {@code dir} under its own file name, as the release left it there. */
    public static Path install(String name, Path dir) throws IOException {
        return Files.write(Files.createDirectories(dir).resolve(Path.of(name).getFileName()), bytes(name));
    }
}
