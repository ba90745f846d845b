package io.ocimount.policy;

import io.ocimount.oci.Digest;
import io.ocimount.ref.Reference;
import java.util.List;

/**
 * What a trust decision is about: known once the tag is resolved and the manifest is fetched and hashed, before
 * the config or any layer is asked for.
 *
 * @param resolved     the digest the reference resolved to (an index for a multi-arch image)
 * @param manifest     the manifest that will be pulled (the platform's, for an index; else {@code resolved})
 * @param artifactType the manifest's artifact type; for an image, its config media type
 * @param totalBytes   the manifest, config and layers together, as their descriptors say
 * @param host         the registry host that served the manifest (a mirror or the upstream)
 */
public record PullSubject(Reference ref, Digest resolved, Digest manifest, String artifactType,
                          List<String> layerMediaTypes, long totalBytes, String host) {

    public PullSubject {
        layerMediaTypes = List.copyOf(layerMediaTypes);
    }

    /** The digests a signature may cover: the one resolved, then the platform manifest when it is another. */
    public List<Digest> signable() {
        return resolved.equals(manifest) ? List.of(resolved) : List.of(resolved, manifest);
    }
}
