package io.ocimount.policy.signature;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.oci.Manifest;
import io.ocimount.oci.ManifestDocument;
import io.ocimount.oci.ManifestParser;
import io.ocimount.ref.Reference;
import io.ocimount.registry.FetchedManifest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * cosign's simple signing format (cosign v1 and v2, v3 without the new bundle format): the manifest tagged
 * {@code sha256-<hex>.sig} in the image's repository, one layer per signature, the layer's blob the payload and
 * its {@code dev.cosignproject.cosign/signature} annotation the base64 signature over the payload's exact bytes.
 * The signature is verified before the payload is believed; then the payload must be a cosign signature of this
 * very digest, naming a repository signedIdentity accepts.
 */
final class SimpleSigningCheck {
    static final String LAYER_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
    static final String FORMAT = "cosign-simplesigning";
    /** A payload is a few hundred bytes; more is not a cosign payload, and is not read. */
    static final long MAX_PAYLOAD_BYTES = 64 * 1024;
    static final int MAX_LAYERS = 32;

    private final CheckContext ctx;

    SimpleSigningCheck(CheckContext ctx) {
        this.ctx = ctx;
    }

    static String tagOf(Digest digest) {
        return digest.algorithm() + "-" + digest.hex() + ".sig";
    }

    /** The verified result for {@code digest}, or null when none of its simple signatures verified. */
    SignatureResult check(Digest digest) {
        String where = digest.algorithm() + "-" + digest.shortHex() + "….sig";
        Manifest manifest;
        try {
            Optional<FetchedManifest> fetched = ctx.source().manifestByTag(tagOf(digest), ctx.cancel());
            if (fetched.isEmpty()) {
                return null;
            }
            ManifestDocument doc = ManifestParser.parse(fetched.get().raw(), fetched.get().contentType(), "signature manifest");
            if (!(doc instanceof Manifest m)) {
                ctx.findings().found(1);
                ctx.findings().failed(where, "is an index, not a signature manifest");
                return null;
            }
            manifest = m;
        } catch (OciMountException e) {
            CheckContext.rethrowIfFatal(e);
            ctx.findings().found(1);
            ctx.findings().failed(where, e.getMessage());
            return null;
        }
        List<Descriptor> layers = manifest.layers().stream().filter(l -> LAYER_MEDIA_TYPE.equals(l.mediaType())).toList();
        ctx.findings().found(Math.max(1, layers.size()));
        if (layers.isEmpty()) {
            ctx.findings().failed(where, "has no layer of media type " + LAYER_MEDIA_TYPE);
            return null;
        }
        return ctx.firstVerified(layers, MAX_LAYERS, (i, layer) -> where + " layer " + i, (layer, at) -> layer(digest, layer, at));
    }

    /** One signature layer: verified, or null with the reason recorded. */
    private SignatureResult layer(Digest digest, Descriptor layer, String where) {
        String encoded = layer.annotations().get(SIGNATURE_ANNOTATION);
        if (encoded == null) {
            ctx.findings().failed(where, "no " + SIGNATURE_ANNOTATION + " annotation");
            return null;
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            ctx.findings().failed(where, "the signature annotation is not base64");
            return null;
        }
        if (layer.size() > MAX_PAYLOAD_BYTES) {
            ctx.findings().failed(where, "payload of " + layer.size() + " bytes is over the "
                    + MAX_PAYLOAD_BYTES / 1024 + " KiB cap, not read");
            return null;
        }
        byte[] payload = ctx.source().blob(layer, MAX_PAYLOAD_BYTES, ctx.cancel());
        String key = ctx.verifyingKey(payload, signature);
        if (key == null) {
            ctx.findings().failed(where, ctx.notVerified() + (layer.annotations().containsKey(CERTIFICATE_ANNOTATION)
                    ? " (it carries a certificate: keyless signatures are not supported)" : ""));
            return null;
        }
        SimpleSigningPayload p = SimpleSigningPayload.parse(payload);
        if (!SimpleSigningPayload.COSIGN_TYPE.equals(p.type())) {
            ctx.findings().failed(where, "critical.type is " + Quote.of(p.type()) + ", not \""
                    + SimpleSigningPayload.COSIGN_TYPE + "\"");
            return null;
        }
        if (!digest.toString().equals(p.manifestDigest())) {
            ctx.findings().failed(where, "payload names " + (Digest.isDigest(p.manifestDigest())
                    ? p.manifestDigest() : "the malformed digest " + Quote.of(p.manifestDigest())) + " not " + digest);
            return null;
        }
        Reference signed;
        try {
            signed = SignedIdentity.repositoryOf(Reference.parse(p.dockerReference()));
        } catch (OciMountException e) {
            ctx.findings().failed(where, "critical.identity.docker-reference " + Quote.of(p.dockerReference())
                    + " is not a repository name");
            return null;
        }
        String refused = ctx.refusedIdentity(signed);
        if (refused != null) {
            ctx.findings().identityRefused(where, refused);
            return null;
        }
        return SignatureResult.verified(FORMAT, key, digest, signed.name());
    }
}
