package io.ocimount.policy.signature;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.oci.Digest;
import io.ocimount.ref.Reference;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Checks an image's cosign signatures against public keys (a {@code sigstoreSigned} requirement's), with the
 * JDK's own crypto (sigstore-java verifies only keyless bundles). Both formats cosign pushes are looked for, for
 * each digest that may be signed: the simple signing manifest at {@code sha256-<hex>.sig} (cosign v1/v2) and
 * sigstore bundles attached as OCI 1.1 referrers (cosign v3's default). The first signature that verifies with a
 * trusted key, covers the digest and names an identity signedIdentity accepts wins.
 *
 * <p>Identities: a simple signing payload names its repository ({@code critical.identity.docker-reference});
 * a bundle names none, so its identity is the repository it was found in, the pulled one. Either is handed to
 * {@link SignedIdentity#accepts} as a repository without tag or digest.
 *
 * <p>Not checked: Rekor transparency log entries and timestamps (a key-based policy without
 * {@code rekorPublicKey*} does not ask for them), keyless (certificate) signatures, which are refused.
 *
 * <p>Every signature that fails is a line of the refusal's reason, not an exception: a blob that does not match
 * its digest, an oversized payload, a manifest that does not parse. Only a cancelled or timed-out check and an
 * unreachable registry ({@code CANCELLED}, {@code DEADLINE_EXCEEDED}, {@code UNAVAILABLE}) propagate.
 */
public final class CosignSignatures {

    /**
     * @param source      where the image's signatures are read from
     * @param pulled      the reference being pulled, for signedIdentity and as the identity of bundles
     * @param digests     the manifest digests a signature may cover, in order: the digest the reference resolved
     *                    to (an index or a manifest), then the platform manifest pulled when it is another
     * @param keys        the keys trusted to sign
     * @param identity    which repositories a signature may name for {@code pulled}
     * @return verified with the format, key and digest of the first signature that passes; else refused with
     *         UNSIGNED (no signature found), IDENTITY (one verified but names a refused identity) or BAD_SIGNATURE
     */
    public SignatureResult check(SignatureSource source, Reference pulled, List<Digest> digests,
                                 List<TrustedKey> keys, SignedIdentity identity, Cancellation cancel) {
        List<Digest> distinct = new ArrayList<>(new LinkedHashSet<>(digests));
        CheckContext ctx = new CheckContext(source, pulled, keys, identity, cancel, new SignatureFindings());
        SimpleSigningCheck simple = new SimpleSigningCheck(ctx);
        BundleCheck bundles = new BundleCheck(ctx);
        for (Digest digest : distinct) {
            cancel.check();
            SignatureResult r = simple.check(digest);
            if (r == null) {
                r = bundles.check(digest);
            }
            if (r != null) {
                return r;
            }
        }
        return ctx.findings().refused(distinct);
    }
}
