package io.ocimount.artifact;

import io.ocimount.oci.Digest;

/** The snapshot key of an artifact's volume tree: derived from its manifest digest, never equal to a chainID. */
public final class ArtifactTree {
    private static final String DOMAIN = "ocimount artifact tree v1\n";

    private ArtifactTree() {
    }

    public static Digest key(Digest manifest) {
        return Digest.ofString(DOMAIN + manifest);
    }
}
