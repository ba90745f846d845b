package io.ocimount.policy;

import java.util.List;

/**
 * One of ocimount's own rules from config.toml ({@code [[policy.rules]]}), for what containers-policy.json cannot
 * say. The most specific scope that matches an image applies, with the same matching as policy.json.
 *
 * @param scope                  a registry host, namespace, repository, {@code repo:tag}, {@code repo@digest} or
 *                               {@code *.domain}
 * @param requireDigest          refuse references by tag: only {@code repo@sha256:…} may be pulled
 * @param maxSizeBytes           the most the manifest, config and layers may weigh compressed together; 0: no limit
 * @param allowedArtifactTypes   when not empty, the only artifact types (an image's config media type for images)
 * @param allowedLayerMediaTypes when not empty, the only media types a layer may have
 */
public record ImageRule(String scope, boolean requireDigest, long maxSizeBytes, List<String> allowedArtifactTypes,
                        List<String> allowedLayerMediaTypes) {

    public ImageRule {
        allowedArtifactTypes = List.copyOf(allowedArtifactTypes);
        allowedLayerMediaTypes = List.copyOf(allowedLayerMediaTypes);
    }
}
