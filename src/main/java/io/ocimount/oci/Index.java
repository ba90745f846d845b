package io.ocimount.oci;

import java.util.List;

/** An OCI image index or Docker manifest list. */
public record Index(String mediaType, List<Descriptor> manifests) implements ManifestDocument {
    public Index {
        manifests = List.copyOf(manifests);
    }
}
