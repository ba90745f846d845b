package io.ocimount.artifact;

import io.ocimount.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The snapshot key of an artifact's volume tree: derived from its manifest digest, never equal to a chainID. */
public final class ArtifactTree {
    private static final String DOMAIN = "ocimount artifact tree v1\n";

    private ArtifactTree() {
    }

    public static Digest key(Digest manifest) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((DOMAIN + manifest).getBytes(StandardCharsets.UTF_8));
            return new Digest("sha256", HexFormat.of().formatHex(h));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
