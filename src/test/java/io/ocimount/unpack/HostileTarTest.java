package io.ocimount.unpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.testkit.DirListing;
import io.ocimount.testkit.HostileLayers;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus cases the extractor refuses on its own, applied to a bare directory through {@link RecordingLayerFs}:
 * refused with the reason, nothing written beside the layer directory, and no call that needs root aimed outside
 * it. A user's run of the real extractor never makes the ownership calls (it leaves owners alone), so only the
 * recording stand-in can show where they would have gone.
 */
class HostileTarTest {
    private static final LayerLimits LIMITS = new LayerLimits(HostileLayers.MAX_BYTES, HostileLayers.MAX_ENTRIES,
            HostileLayers.MAX_PATH, HostileLayers.MAX_XATTR_BYTES);

    @TempDir
    Path base;

    static Stream<HostileLayers.Case> refusedByTheExtractor() {
        return HostileLayers.corpus().stream().filter(HostileLayers.Case::byExtractor);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedByTheExtractor")
    void refusedWithNothingWrittenOrOwnedOutsideTheLayer(HostileLayers.Case c) throws Exception {
        Path sentinel = Files.createDirectories(base.resolve("sentinel"));
        Files.writeString(sentinel.resolve("secret"), "keep me");
        Path layer = Files.createDirectories(base.resolve("snapshot/fs"));
        Map<String, String> before = DirListing.of(sentinel);
        RecordingLayerFs fs = new RecordingLayerFs();

        LayerRefusedException e = assertThrows(LayerRefusedException.class,
                () -> new LayerApplier(LIMITS, fs).apply(new ByteArrayInputStream(c.topLayer(sentinel)), layer));
        assertTrue(e.getMessage().contains(c.reason()), e::getMessage);
        assertEquals(c.kind() == ErrorKind.RESOURCE_EXHAUSTED, e.isLimit(), "a limit, or a hostile entry: " + e.getMessage());
        assertEquals(before, DirListing.of(sentinel), "the sentinel directory is untouched");
        try (Stream<Path> s = Files.list(base)) {
            assertEquals(2, s.count(), "nothing made beside the sentinel and the snapshot");
        }
        assertTrue(fs.recordedPaths().stream().allMatch(p -> p.startsWith(layer)), () -> "privileged calls outside: " + fs.recordedPaths());
    }
}
