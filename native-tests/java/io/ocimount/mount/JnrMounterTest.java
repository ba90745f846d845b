package io.ocimount.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.sys.Mounts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Overlay views of many layers: more than one page of lowerdir paths. */
@Tag("native")
class JnrMounterTest {
    @TempDir
    Path tmp;

    @Test
    void aViewOfOneHundredFiftyLayersWithStorePathsMountsAndStacksInOrder() throws Exception {
        List<Path> layers = new ArrayList<>();
        for (int i = 0; i < 150; i++) { // paths as long as real snapshots: 150 x ~100 bytes is over three pages
            Path fs = Files.createDirectories(tmp.resolve("snapshots/" + "%064x".formatted(i) + "/fs"));
            Files.writeString(fs.resolve("layer-" + i), String.valueOf(i));
            Files.writeString(fs.resolve("top"), String.valueOf(i));
            layers.add(fs);
        }
        assertTrue(String.join(":", layers.stream().map(Path::toString).toList()).length() > 3 * 4096);
        Path view = Files.createDirectories(tmp.resolve("view"));
        new JnrMounter().mountView(layers, view);
        try {
            assertEquals("149", Files.readString(view.resolve("top")), "the last layer wins");
            assertEquals("0", Files.readString(view.resolve("layer-0")));
            assertEquals("77", Files.readString(view.resolve("layer-77")));
            try (var s = Files.list(view)) {
                assertEquals(151, s.count());
            }
            var entry = MountInfo.at(MountInfo.read(), view);
            assertEquals("overlay", entry.fsType());
            assertTrue(entry.options().startsWith("ro"), entry.options());
        } finally {
            Mounts.umount(view, 0);
        }
    }
}
