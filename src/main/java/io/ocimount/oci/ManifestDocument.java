package io.ocimount.oci;

/** A document a registry serves at /manifests/: an index or an image manifest. */
public sealed interface ManifestDocument permits Index, Manifest {
    String mediaType();
}
