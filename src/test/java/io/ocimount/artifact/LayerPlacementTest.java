package io.ocimount.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LayerPlacementTest {
    private static Descriptor layer(String mediaType, Map<String, String> annotations) {
        return new Descriptor(mediaType, Digest.of("x".getBytes(StandardCharsets.UTF_8)), 1, null, annotations, null);
    }

    @Test
    void titleWinsOverModelSpecFilePaths() {
        var d = layer("application/octet-stream", Map.of(LayerPlacement.CNAI_FILEPATH, "c", LayerPlacement.CNCF_FILEPATH, "b",
                LayerPlacement.TITLE, "a"));
        assertEquals("a", LayerPlacement.of(d).name());
        assertEquals("b", LayerPlacement.of(layer("x/y", Map.of(LayerPlacement.CNAI_FILEPATH, "c",
                LayerPlacement.CNCF_FILEPATH, "b"))).name());
        assertEquals("c", LayerPlacement.of(layer("x/y", Map.of(LayerPlacement.CNAI_FILEPATH, "c"))).name());
    }

    @Test
    void kindFollowsTheMediaTypeAndTheOrasMarker() {
        assertEquals(LayerPlacement.Kind.FILE, LayerPlacement.of(layer("application/vnd.example.weights",
                Map.of(LayerPlacement.TITLE, "w.bin"))).kind());
        assertEquals(LayerPlacement.Kind.TAR_INTO, LayerPlacement.of(layer("application/vnd.cncf.helm.chart.content.v1.tar+gzip",
                Map.of(LayerPlacement.TITLE, "chart"))).kind());
        assertEquals(LayerPlacement.Kind.TAR_AT_ROOT, LayerPlacement.of(layer("application/vnd.oci.image.layer.v1.tar+zstd",
                Map.of())).kind());
        assertEquals(LayerPlacement.Kind.TAR_ORAS, LayerPlacement.of(layer("application/vnd.oci.image.layer.v1.tar+gzip",
                Map.of(LayerPlacement.TITLE, "dir", LayerPlacement.ORAS_UNPACK, "true"))).kind());
        assertEquals(LayerPlacement.Kind.SKIP, LayerPlacement.of(layer("application/json", Map.of())).kind());
        assertEquals(List.of("models", "v1", "w.bin"), LayerPlacement.of(layer("a/b",
                Map.of(LayerPlacement.TITLE, "models/v1/w.bin"))).path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "..", "../x", "a/../../x", "a/..", "a//b", "./a", "a/", "a/./b", "nul\0x"})
    void hostileNamesAreRefused(String name) {
        var e = assertThrows(LayerPlacement.BadName.class,
                () -> LayerPlacement.of(layer("application/octet-stream", Map.of(LayerPlacement.TITLE, name))));
        assertTrue(e.getMessage().length() > 5, e.getMessage());
    }

    @Test
    void overlongComponentIsRefused() {
        assertThrows(LayerPlacement.BadName.class, () -> LayerPlacement.components("a/" + "x".repeat(256)));
        assertEquals(List.of("x".repeat(255)), LayerPlacement.components("x".repeat(255)));
    }

    @Test
    void claimsRefuseDuplicatesAndNamesInsideOtherLayers() {
        NameClaims c = new NameClaims();
        c.claim(List.of("models", "a.bin"), "layer 1");
        c.claim(List.of("models", "b.bin"), "layer 2");
        var dup = assertThrows(LayerPlacement.BadName.class, () -> c.claim(List.of("models", "a.bin"), "layer 3"));
        assertTrue(dup.getMessage().contains("duplicate name \"models/a.bin\", also used by layer 1"), dup.getMessage());
        var inside = assertThrows(LayerPlacement.BadName.class, () -> c.claim(List.of("models", "a.bin", "x"), "layer 4"));
        assertTrue(inside.getMessage().contains("inside \"models/a.bin\" of layer 1"), inside.getMessage());
        var overDir = assertThrows(LayerPlacement.BadName.class, () -> c.claim(List.of("models"), "layer 5"));
        assertTrue(overDir.getMessage().contains("already a directory"), overDir.getMessage());
    }
}
