package io.ocimount.policy.signature;

import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.oci.Descriptor;
import io.ocimount.oci.Digest;
import io.ocimount.registry.FetchedManifest;
import io.ocimount.ref.Reference;
import java.util.List;
import java.util.Optional;

/**
 * cosign v3's default format: a sigstore bundle attached to the image as an OCI 1.1 referrer, found through the
 * referrers API or, on registries without it, the {@code sha256-<hex>} fallback index. The bundle's DSSE envelope
 * is verified over its pre-authentication encoding, and its payload must be an in-toto Statement v1 of cosign's
 * signing predicate whose subject is this digest.
 *
 * <p>A bundle names no repository, only a digest: the identity it vouches for is the repository it was found in,
 * which is the repository being pulled. So signedIdentity is asked about the pulled repository (without tag or
 * digest): {@code matchRepository} always accepts it, {@code exactRepository} accepts it only when the image is
 * pulled from that repository.
 */
final class BundleCheck {
    static final String FORMAT = "sigstore-bundle";
    static final long MAX_BUNDLE_BYTES = 1024 * 1024;
    static final int MAX_REFERRERS = 32;

    private final CheckContext ctx;

    BundleCheck(CheckContext ctx) {
        this.ctx = ctx;
    }

    /** The verified result for {@code digest}, or null when none of its bundles verified. */
    SignatureResult check(Digest digest) {
        List<Descriptor> entries;
        String where;
        try {
            Optional<byte[]> referrers = ctx.source().referrers(digest, ctx.cancel());
            if (referrers.isPresent()) {
                where = "referrers of " + digest.algorithm() + ":" + digest.shortHex() + "…";
                entries = BundleReferrers.bundleEntries(referrers.get(), "referrers index");
            } else {
                where = BundleReferrers.fallbackTag(digest).substring(0, 19) + "…";
                Optional<FetchedManifest> index = ctx.source().manifestByTag(BundleReferrers.fallbackTag(digest), ctx.cancel());
                if (index.isEmpty()) {
                    return null;
                }
                entries = BundleReferrers.bundleEntries(index.get().raw(), "referrers fallback index");
            }
        } catch (OciMountException e) {
            CheckContext.rethrowIfFatal(e);
            ctx.findings().failed("referrers of " + digest.algorithm() + ":" + digest.shortHex() + "…", e.getMessage());
            return null;
        }
        ctx.findings().found(entries.size());
        String in = where;
        return ctx.firstVerified(entries, MAX_REFERRERS, (i, entry) -> in + " bundle " + entry.digest().algorithm() + ":"
                + entry.digest().shortHex() + "…", (entry, at) -> bundle(digest, entry, at));
    }

    /** One referrer: verified, or null with the reason recorded. */
    private SignatureResult bundle(Digest digest, Descriptor entry, String where) {
        FetchedManifest referrer = ctx.source().manifest(entry, ctx.cancel());
        Descriptor layer = BundleReferrers.bundleLayer(referrer, digest);
        if (layer.size() > MAX_BUNDLE_BYTES) {
            ctx.findings().failed(where, "bundle of " + layer.size() + " bytes is over the "
                    + MAX_BUNDLE_BYTES / (1024 * 1024) + " MiB cap, not read");
            return null;
        }
        SigstoreBundle bundle = SigstoreBundle.parse(ctx.source().blob(layer, MAX_BUNDLE_BYTES, ctx.cancel()));
        byte[] pae = DssePae.encode(bundle.payloadType(), bundle.payload());
        String key = null;
        for (byte[] signature : bundle.signatures()) {
            key = ctx.verifyingKey(pae, signature);
            if (key != null) {
                break;
            }
        }
        if (key == null) {
            ctx.findings().failed(where, ctx.notVerified());
            return null;
        }
        if (!InTotoStatement.PAYLOAD_TYPE.equals(bundle.payloadType())) {
            ctx.findings().failed(where, "payloadType is " + Quote.of(bundle.payloadType()) + ", not "
                    + InTotoStatement.PAYLOAD_TYPE);
            return null;
        }
        InTotoStatement statement = InTotoStatement.parse(bundle.payload());
        if (!InTotoStatement.TYPE_V1.equals(statement.type())) {
            ctx.findings().failed(where, "statement _type is " + Quote.of(statement.type()) + ", not " + InTotoStatement.TYPE_V1);
            return null;
        }
        if (!InTotoStatement.COSIGN_SIGN.equals(statement.predicateType())) {
            ctx.findings().failed(where, "predicateType is " + Quote.of(statement.predicateType())
                    + ", not cosign's signature " + InTotoStatement.COSIGN_SIGN);
            return null;
        }
        if (!statement.sha256s().contains(digest.hex())) {
            ctx.findings().failed(where, subjectMismatch(statement.sha256s(), digest));
            return null;
        }
        Reference foundIn = SignedIdentity.repositoryOf(ctx.pulled());
        String refused = ctx.refusedIdentity(foundIn);
        if (refused != null) {
            ctx.findings().identityRefused(where, refused);
            return null;
        }
        return SignatureResult.verified(FORMAT, key, digest, foundIn.name());
    }

    private static String subjectMismatch(List<String> named, Digest digest) {
        if (named.isEmpty()) {
            return "statement has no sha256 subject";
        }
        String first = "sha256:" + named.get(0);
        return "statement names " + (Digest.isDigest(first) ? first : "a malformed digest")
                + (named.size() > 1 ? " and " + (named.size() - 1) + " more" : "") + " not " + digest;
    }
}
