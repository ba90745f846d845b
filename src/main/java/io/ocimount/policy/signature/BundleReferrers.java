package io.ocimount.policy.signature;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Index;
import io.ocimount.oci.Json;
import io.ocimount.oci.Manifest;
import io.ocimount.oci.ManifestDocument;
import io.ocimount.oci.ManifestParser;
import io.ocimount.oci.MediaTypes;
import io.ocimount.registry.FetchedManifest;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Finding sigstore bundles among an image's OCI 1.1 referrers: which entries of a referrers index (or of the
 * {@code sha256-<hex>} fallback index) are bundles, and which blob of a referrer manifest is the bundle. The
 * manifest must say it is about the image: a registry that lists a referrer of another image under this one is
 * caught here, before its bundle is read.
 */
final class BundleReferrers {
    private BundleReferrers() {
    }

    static String fallbackTag(Digest digest) {
        return digest.algorithm() + "-" + digest.hex();
    }

    /** The entries of a referrers index whose artifactType is a sigstore bundle, in the index's order. */
    static List<Descriptor> bundleEntries(byte[] index, String what) {
        ManifestDocument doc = ManifestParser.parse(index, MediaTypes.OCI_INDEX, what);
        if (!(doc instanceof Index i)) {
            throw OciMountException.invalid(what + " is not an image index");
        }
        return i.manifests().stream().filter(d -> SigstoreBundle.MEDIA_TYPES.contains(d.artifactType())).toList();
    }

    /** The bundle layer of a referrer manifest that names {@code subject}; refused when it is anything else. */
    static Descriptor bundleLayer(FetchedManifest fetched, Digest subject) {
        ManifestDocument doc = ManifestParser.parse(fetched.raw(), fetched.contentType(), "referrer manifest");
        if (!(doc instanceof Manifest m)) {
            throw OciMountException.invalid("is an index, not a referrer manifest");
        }
        JsonNode named = Json.parse(fetched.raw(), "referrer manifest").get("subject");
        if (named == null || !named.isObject()) {
            throw OciMountException.invalid("the referrer manifest has no subject");
        }
        String digest = Json.text(named, "digest", "referrer manifest subject");
        if (!subject.toString().equals(digest)) {
            throw OciMountException.invalid("the referrer manifest's subject is "
                    + (Digest.isDigest(digest) ? digest : "a malformed digest") + ", not " + subject);
        }
        if (m.layers().size() != 1 || !SigstoreBundle.MEDIA_TYPES.contains(m.layers().get(0).mediaType())) {
            throw OciMountException.invalid("the referrer manifest has " + m.layers().size()
                    + " layers, want one of media type " + SigstoreBundle.MEDIA_TYPE_V03);
        }
        return m.layers().get(0);
    }
}
