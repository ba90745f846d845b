package io.ocimount.policy;

import io.ocimount.policy.signature.CosignSignatures;
import io.ocimount.policy.signature.SignatureResult;
import io.ocimount.policy.signature.SignatureSource;
import io.ocimount.policy.signature.SignedIdentity;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.Quote;
import io.ocimount.ref.Reference;
import java.util.ArrayList;
import java.util.List;
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
        return decide(subject, req -> signatures.check(source, subject.ref(), subject.signable(), req.keys(), req.identity(), cancel));
    }

    /**
     * A stored image's decision for a mount by {@code subject.ref()}: a signature requirement holds when the pull
     * under that repository verified a signature of this image with a key the requirement still trusts, naming a
     * repository its identity still accepts.
     *
     * @param pulledWith what the policy found when the image was pulled under this repository, or null
     */
    public Decision decideStored(PullSubject subject, Trust pulledWith) {
        return decide(subject, req -> recorded(subject, pulledWith, req));
    }

    private Decision decide(PullSubject subject, Function<Requirement.SigstoreSigned, SignatureResult> verify) {
        ContainersPolicy.Scoped scoped = policy.requirementsFor(subject.ref());
        Optional<ImageRule> rule = rules.ruleFor(subject.ref());
        Trust known = new Trust(scoped.scope(), rule.map(ImageRule::scope).orElse(null), subject.host(), subject.resolved(),
                List.of());
        if (rule.isPresent()) {
            Optional<String[]> refused = ImageRules.refusal(rule.get(), subject);
            if (refused.isPresent()) {
                return Decision.deny(subject.resolved(), known, refused.get()[0], refused.get()[1]);
            }
        }
        String where = "policy scope " + Quote.of(scoped.scope());
        List<VerifiedSignature> verified = new ArrayList<>();
        for (Requirement r : scoped.requirements()) {
            if (r instanceof Requirement.Reject) {
                return Decision.deny(subject.resolved(), known, "reject", where + " rejects every image");
            }
            if (r instanceof Requirement.SigstoreSigned s) {
                SignatureResult result = verify.apply(s);
                if (!result.verified()) {
                    return Decision.deny(subject.resolved(), known, result.failure().label, where
                            + " requires a signature (" + s.identity().describe() + "): " + result.reason());
                }
                verified.add(new VerifiedSignature(result.format(), result.keyFingerprint(), result.signed(),
                        result.signedReference()));
            }
        }
        return Decision.allow(subject.resolved(), new Trust(known.scope(), known.ruleScope(), known.host(), known.resolved(),
                verified));
    }

    /** The recorded signature that meets {@code req} for this image and name, if any. */
    private static SignatureResult recorded(PullSubject subject, Trust trust, Requirement.SigstoreSigned req) {
        if (trust == null || !trust.signed()) {
            return SignatureResult.refused(SignatureResult.Failure.UNSIGNED, "the stored image was pulled as "
                    + subject.ref().name() + " without a verified signature; pull it again (pull policy Always) to"
                    + " verify one");
        }
        String why = null;
        SignatureResult.Failure failure = SignatureResult.Failure.BAD_SIGNATURE;
        for (VerifiedSignature v : trust.signatures()) {
            if (req.keys().stream().noneMatch(k -> k.fingerprint().equals(v.keyFingerprint()))) {
                why = why != null ? why : "the stored image was verified with key " + v.keyFingerprint()
                        + ", which the policy no longer trusts";
                continue;
            }
            if (!subject.signable().contains(v.signedDigest())) {
                why = "the recorded signature covers " + v.signedDigest() + ", not this image";
                continue;
            }
            Reference signed = SignedIdentity.repositoryOf(Reference.parse(v.signedReference()));
            if (!req.identity().accepts(subject.ref(), signed)) {
                failure = SignatureResult.Failure.IDENTITY;
                why = "its signature names " + signed.name() + ", which " + req.identity().describe()
                        + " does not accept for " + subject.ref();
                continue;
            }
            return SignatureResult.verified(v.format(), v.keyFingerprint(), v.signedDigest(), v.signedReference());
        }
        return SignatureResult.refused(failure, why);
    }
}
