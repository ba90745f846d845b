package io.ocimount.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.api.v1.LayerProgress;
import io.ocimount.api.v1.PullProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
    private static PullProgress progress(String state, long fetched) {
        return PullProgress.newBuilder()
                .addLayers(LayerProgress.newBuilder().setDigest("sha256:" + "a".repeat(64)).setSize(10 << 20).setFetched(fetched).setState(state))
                .addLayers(LayerProgress.newBuilder().setDigest("sha256:" + "b".repeat(64)).setSize(1024).setState("reused"))
                .build();
    }

    @Test
    void onATerminalEveryLayerLineIsRedrawnInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressDisplay d = new ProgressDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        d.show(progress("fetching", 3 << 20));
        d.show(progress("done", 10 << 20));
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("\033[2A"), "cursor moved up over the two layer lines");
        assertTrue(s.contains("sha256:aaaaaaaaaaaa  fetching  3.0 MB / 10.0 MB"), s);
        assertTrue(s.contains("sha256:aaaaaaaaaaaa  done      10.0 MB / 10.0 MB"), s);
        assertTrue(s.contains("sha256:bbbbbbbbbbbb  already unpacked"), s);
    }

    @Test
    void elsewhereOneLinePerFinishedLayer() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressDisplay d = new ProgressDisplay(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        d.show(progress("fetching", 3 << 20));
        d.show(progress("done", 10 << 20));
        d.show(progress("done", 10 << 20));
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, s.lines().count(), s);
        assertTrue(!s.contains("\033["), "no escape codes in logs");
    }

    @Test
    void sizesAreHumanReadable() {
        assertEquals("512 B", ProgressDisplay.size(512));
        assertEquals("1.5 KB", ProgressDisplay.size(1536));
        assertEquals("151.2 MB", ProgressDisplay.size(158_545_100));
    }
}
