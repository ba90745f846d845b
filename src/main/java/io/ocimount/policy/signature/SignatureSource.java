package io.ocimount.policy.signature;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.registry.FetchedManifest;
import java.util.Optional;

/**
 * Where signatures are read from: the image's own repository (through the same hosts, mirrors first, and
 * credentials as the pull). Every body is size-capped and checked against its digest before it is returned.
 */
public interface SignatureSource {

    /** The manifest or index a tag names in the image's repository, hashed; empty when the tag does not exist. */
    Optional<FetchedManifest> manifestByTag(String tag, Cancellation cancel);

    /** A manifest by descriptor from the image's repository, checked against its digest and size. */
    FetchedManifest manifest(Descriptor desc, Cancellation cancel);

    /**
     * The OCI 1.1 referrers index of {@code subject} (raw JSON of an image index), or empty when the registry has
     * no referrers API (it answers 404), so the caller falls back to the {@code sha256-<hex>} tag.
     */
    Optional<byte[]> referrers(Digest subject, Cancellation cancel);

    /** A small blob read whole, refused when its descriptor's size exceeds {@code maxBytes}, checked by digest. */
    byte[] blob(Descriptor desc, long maxBytes, Cancellation cancel);
}
