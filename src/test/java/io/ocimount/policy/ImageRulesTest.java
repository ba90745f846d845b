package io.ocimount.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimount.oci.Digest;
import io.ocimount.ref.Reference;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageRulesTest {
    private static final String MODEL = "application/vnd.example.model.v1";

    private static PullSubject subject(String ref, String artifactType, List<String> layers, long bytes) {
        return new PullSubject(Reference.parse(ref), Digest.ofString("index"), Digest.ofString("manifest"), artifactType,
                layers, bytes, "registry.example");
    }

    private static Optional<String> refusal(ImageRule rule, PullSubject s) {
        return ImageRules.refusal(rule, s).map(r -> r[0] + ": " + r[1]);
    }

    @Test
    void theMostSpecificScopeAlone() {
        ImageRule host = new ImageRule("registry.example", true, 0, List.of(), List.of());
        ImageRule models = new ImageRule("registry.example/models", false, 1000, List.of(MODEL), List.of());
        ImageRules rules = new ImageRules(List.of(host, models));
        assertEquals(Optional.of(models), rules.ruleFor(Reference.parse("registry.example/models/llm:1")));
        assertEquals(Optional.of(host), rules.ruleFor(Reference.parse("registry.example/apps/web:1")));
        assertEquals(Optional.empty(), rules.ruleFor(Reference.parse("other.example/models/llm:1")));
        assertThrows(IllegalArgumentException.class, () -> new ImageRules(List.of(host, host)));
    }

    @Test
    void eachConditionRefusesWithItsWordAndReason() {
        ImageRule digest = new ImageRule("registry.example", true, 0, List.of(), List.of());
        String refused = refusal(digest, subject("registry.example/a:1", MODEL, List.of(), 10)).orElseThrow();
        assertTrue(refused.startsWith("digest_required: config rule for scope \"registry.example\" requires a digest"), refused);
        assertTrue(refused.contains("registry.example/a@" + Digest.ofString("index")), "says what to pull instead: " + refused);
        assertEquals(Optional.empty(), refusal(digest, subject("registry.example/a@" + Digest.ofString("index"), MODEL,
                List.of(), 10)));

        ImageRule size = new ImageRule("registry.example", false, 100, List.of(), List.of());
        assertEquals(Optional.empty(), refusal(size, subject("registry.example/a:1", MODEL, List.of(), 100)));
        assertTrue(refusal(size, subject("registry.example/a:1", MODEL, List.of(), 101)).orElseThrow()
                .startsWith("too_large: config rule for scope \"registry.example\" allows at most 100 bytes"));

        ImageRule types = new ImageRule("registry.example", false, 0, List.of(MODEL), List.of("application/vnd.example.weights"));
        assertEquals(Optional.empty(), refusal(types, subject("registry.example/a:1", MODEL,
                List.of("application/vnd.example.weights"), 1)));
        assertTrue(refusal(types, subject("registry.example/a:1", "application/vnd.oci.image.config.v1+json", List.of(), 1))
                .orElseThrow().startsWith("media_type: config rule for scope \"registry.example\" allows artifact types"));
        String layer = refusal(types, subject("registry.example/a:1", MODEL,
                List.of("application/vnd.example.weights", "application/vnd.oci.image.layer.v1.tar+gzip"), 1)).orElseThrow();
        assertTrue(layer.startsWith("media_type:") && layer.contains("layer 1 of"), layer);
    }
}
