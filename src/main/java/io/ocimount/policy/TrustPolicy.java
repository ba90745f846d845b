package io.ocimount.policy;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.Quote;
import io.ocimount.ref.Reference;
import java.util.Optional;
import java.util.function.Function;

/**
 * Decides whether an image may be pulled or mounted: config.toml's rule for its scope first (no network), then every
 * requirement of its containers-policy.json scope. Pulls decide after the manifest is hashed and before the config
 * or any layer is asked for; mounts of a stored image decide again from what its pull verified.
 */
public final class TrustPolicy {
    private final ContainersPolicy policy;
    private final ImageRules rules;
    private final CosignSignatures signatures;

    public TrustPolicy(ContainersPolicy policy, ImageRules rules, CosignSignatures signatures) {
        this.policy = policy;
        this.rules = rules;
        this.signatures = signatures;
    }

    /** The policy of {@code settings}: its policy.json is read and checked now, so a bad one stops the daemon. */
    public static TrustPolicy of(PolicySettings settings) {
        ContainersPolicy json = settings.jsonPath() == null ? ContainersPolicy.acceptAnything()
                : ContainersPolicy.load(settings.jsonPath());
        return new TrustPolicy(json, new ImageRules(settings.rules()), new CosignSignatures());
    }

    /** A pull's decision: signatures are read from {@code source}, the image's repository. */
    public Decision decide(PullSubject subject, SignatureSource source, Cancellation cancel) {
        return decide(subject, req -> signatures.check(source, subject.ref(), subject.signable(), req, cancel));
    }

    /**
     * A stored image's decision for a mount: a signature requirement holds when the pull verified a signature with
     * a key the requirement still trusts, naming a repository its identity still accepts.
     */
    public Decision decideStored(PullSubject subject, Trust pulledWith) {
        return decide(subject, req -> recorded(subject.ref(), pulledWith, req));
    }

    private Decision decide(PullSubject subject, Function<Requirement.SigstoreSigned, SignatureResult> verify) {
        ContainersPolicy.Scoped scoped = policy.requirementsFor(subject.ref());
        Optional<ImageRule> rule = rules.ruleFor(subject.ref());
        Trust known = new Trust(scoped.scope(), rule.map(ImageRule::scope).orElse(null), subject.host(), null, null,
                null, null);
        if (rule.isPresent()) {
            Optional<String[]> refused = ImageRules.refusal(rule.get(), subject);
            if (refused.isPresent()) {
                return Decision.deny(known, refused.get()[0], refused.get()[1]);
            }
        }
        String where = "policy scope " + Quote.of(scoped.scope());
        SignatureResult verified = null;
        for (Requirement r : scoped.requirements()) {
            if (r instanceof Requirement.Reject) {
                return Decision.deny(known, "reject", where + " rejects every image");
            }
            if (r instanceof Requirement.SigstoreSigned s) {
                SignatureResult result = verify.apply(s);
                if (!result.verified()) {
                    return Decision.deny(known, result.failure().label, where + " requires a signature ("
                            + s.identity().describe() + "): " + result.reason());
                }
                verified = verified == null ? result : verified;
            }
        }
        return Decision.allow(verified == null ? known : new Trust(known.scope(), known.ruleScope(), known.host(),
                verified.format(), verified.keyFingerprint(), verified.signed(), verified.signedReference()));
    }

    private static SignatureResult recorded(Reference ref, Trust trust, Requirement.SigstoreSigned req) {
        if (trust == null || !trust.signed()) {
            return SignatureResult.refused(SignatureResult.Failure.UNSIGNED, "the stored image was pulled without a"
                    + " verified signature; pull it again (pull policy Always) to verify one");
        }
        if (req.keys().stream().noneMatch(k -> k.fingerprint().equals(trust.keyFingerprint()))) {
            return SignatureResult.refused(SignatureResult.Failure.BAD_SIGNATURE, "the stored image was verified with key "
                    + trust.keyFingerprint() + ", which the policy no longer trusts");
        }
        Reference signed = CheckContext.repositoryOf(Reference.parse(trust.signedReference()));
        if (!req.identity().accepts(ref, signed)) {
            return SignatureResult.refused(SignatureResult.Failure.IDENTITY, "its signature names "
                    + signed.name() + ", which " + req.identity().describe() + " does not accept for " + ref);
        }
        return new SignatureResult(true, trust.signatureFormat(), trust.keyFingerprint(), trust.signedDigest(),
                trust.signedReference(), null, null);
    }
}
