package io.ocimount.oci;

import java.util.List;
import java.util.Map;

/** An OCI or Docker schema2 image manifest. */
public record Manifest(String mediaType, Descriptor config, List<Descriptor> layers, String artifactType,
                       Map<String, String> annotations) implements ManifestDocument {

    public Manifest {
        layers = List.copyOf(layers);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** An OCI artifact: it says so, or its config is not an image config (the empty config included). */
    public boolean isArtifact() {
        return (artifactType != null && !artifactType.isEmpty()) || !MediaTypes.isImageConfig(config.mediaType());
    }

    /** The layers that carry a filesystem, in stack order; these pair one to one with rootfs.diff_ids. */
    public List<Descriptor> filesystemLayers() {
        return layers.stream().filter(l -> MediaTypes.isLayer(l.mediaType())).toList();
    }

    /** The type shown for an artifact: artifactType, else the config media type (the OCI fallback rule). */
    public String effectiveArtifactType() {
        return artifactType != null && !artifactType.isEmpty() ? artifactType : config.mediaType();
    }
}
