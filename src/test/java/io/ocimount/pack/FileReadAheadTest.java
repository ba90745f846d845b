package io.ocimount.pack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileReadAheadTest {
    @TempDir
    Path tmp;

    private static long readers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("ocimount-read-ahead")
                && t.isAlive()).count();
    }

    private static void awaitNoReaders() throws InterruptedException {
        for (int i = 0; i < 100 && readers() > 0; i++) {
            Thread.sleep(20);
        }
        assertEquals(0, readers(), "no reader thread outlives the tar");
    }

    @Test
    void readersWaitingForTheWindowStopWhenTheTarIsDoneAndMissingFilesAreLeftToTheTar() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        List<SourceTree.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // each claims 1 GiB: all but the first wait for a window that never comes
            entries.add(new SourceTree.Entry("f" + i, SourceTree.Kind.FILE, false, 1L << 30, null, f));
        }
        entries.add(1, new SourceTree.Entry("gone", SourceTree.Kind.FILE, false, 1, null, tmp.resolve("gone")));
        FileReadAhead ahead = new FileReadAhead(entries);
        ahead.took(1); // the tar moved: nothing changes, every reader still waits or has read
        Thread.sleep(50);
        assertTrue(readers() > 0, "readers are waiting for the window");
        ahead.close();
        awaitNoReaders();
    }

    @Test
    void aTreeIsReadAheadAndEveryReaderEnds() throws Exception {
        List<SourceTree.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Path p = Files.write(tmp.resolve("f" + i), new byte[10_000]);
            entries.add(new SourceTree.Entry("f" + i, SourceTree.Kind.FILE, false, 10_000, null, p));
        }
        try (FileReadAhead ahead = new FileReadAhead(entries)) {
            for (int i = 0; i < entries.size(); i++) {
                ahead.took(10_000);
            }
        }
        awaitNoReaders();
    }
}
