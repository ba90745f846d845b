package io.ocimount.policy.audit;

import io.ocimount.oci.Digest;
import io.ocimount.ref.Reference;

/** Which audit records {@code ocimount audit --image X} shows. */
public final class AuditFilter {
    private AuditFilter() {
    }

    /**
     * A digest matches the records whose resolved digest, image id or signed digest it is; a reference with a tag or
     * digest matches that reference; a bare repository matches every reference of it.
     */
    public static boolean matches(AuditRecord r, String image) {
        if (Digest.isDigest(image)) {
            return image.equals(r.manifestDigest()) || image.equals(r.imageId()) || image.equals(r.signedDigest());
        }
        Reference wanted;
        Reference seen;
        try {
            wanted = Reference.parse(image);
            seen = Reference.parse(r.reference());
        } catch (RuntimeException notAReference) {
            return false;
        }
        int slash = image.lastIndexOf('/');
        boolean bare = !image.contains("@") && image.indexOf(':', slash + 1) < 0;
        return bare ? wanted.name().equals(seen.name()) : wanted.equals(seen);
    }
}
