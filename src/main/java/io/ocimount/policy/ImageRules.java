package io.ocimount.policy;

import io.ocimount.errdefs.Quote;
import io.ocimount.ref.Reference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ocimount's own rules from config.toml, the most specific scope applying, checked without the registry. */
public final class ImageRules {
    private final Map<String, ImageRule> byScope = new LinkedHashMap<>();

    public ImageRules(List<ImageRule> rules) {
        for (ImageRule r : rules) {
            if (byScope.putIfAbsent(r.scope(), r) != null) {
                throw new IllegalArgumentException("two rules for scope " + Quote.of(r.scope()));
            }
        }
    }

    /** The rule for {@code ref}'s most specific scope, if any rule matches. */
    public Optional<ImageRule> ruleFor(Reference ref) {
        for (String scope : Scopes.candidates(ref)) {
            ImageRule r = byScope.get(scope);
            if (r != null) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Why {@code rule} refuses {@code subject}: the fixed word for metrics, then the words for people; empty if it does not. */
    static Optional<String[]> refusal(ImageRule rule, PullSubject subject) {
        String where = "config rule for scope " + Quote.of(rule.scope());
        if (rule.requireDigest() && subject.ref().digest() == null) {
            return Optional.of(new String[] {"digest_required", where + " requires a digest: "
                    + subject.ref().tagged() + " is a tag; pull " + subject.ref().name() + "@" + subject.resolved()});
        }
        if (rule.maxSizeBytes() > 0 && subject.totalBytes() > rule.maxSizeBytes()) {
            return Optional.of(new String[] {"too_large", where + " allows at most " + rule.maxSizeBytes()
                    + " bytes: manifest " + subject.manifest() + " weighs " + subject.totalBytes()});
        }
        if (!rule.allowedArtifactTypes().isEmpty() && !rule.allowedArtifactTypes().contains(subject.artifactType())) {
            return Optional.of(new String[] {"media_type", where + " allows artifact types " + rule.allowedArtifactTypes()
                    + ": manifest " + subject.manifest() + " is " + Quote.of(subject.artifactType())});
        }
        if (!rule.allowedLayerMediaTypes().isEmpty()) {
            for (int i = 0; i < subject.layerMediaTypes().size(); i++) {
                String type = subject.layerMediaTypes().get(i);
                if (!rule.allowedLayerMediaTypes().contains(type)) {
                    return Optional.of(new String[] {"media_type", where + " allows layer media types "
                            + rule.allowedLayerMediaTypes() + ": layer " + i + " of " + subject.manifest() + " is "
                            + Quote.of(type)});
                }
            }
        }
        return Optional.empty();
    }
}
