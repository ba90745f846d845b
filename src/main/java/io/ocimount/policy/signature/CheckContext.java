package io.ocimount.policy.signature;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.ref.Reference;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * What both signature formats are checked against, and what they share: the trusted keys, the signed-identity
 * rule, where signatures are read from and the findings so far.
 */
record CheckContext(SignatureSource source, Reference pulled, List<TrustedKey> keys, SignedIdentity identity,
                    Cancellation cancel, SignatureFindings findings) {

    /** The fingerprint of the first trusted key {@code signature} over {@code data} verifies with, else null. */
    String verifyingKey(byte[] data, byte[] signature) {
        for (TrustedKey key : keys) {
            cancel.check();
            if (SignatureAlgorithms.verifies(key.key(), data, signature)) {
                return key.fingerprint();
            }
        }
        return null;
    }

    /** "signature does not verify with SHA256:ab12cd34ef56… (ecdsa-p256), …". */
    String notVerified() {
        return "signature does not verify with " + keys.stream()
                .map(k -> shortFingerprint(k.fingerprint()) + " (" + SignatureAlgorithms.describe(k.key()) + ")")
                .collect(Collectors.joining(", "));
    }

    /** Null when signedIdentity accepts a signature naming {@code signed}, else why not. */
    String refusedIdentity(Reference signed) {
        if (identity.accepts(pulled, signed)) {
            return null;
        }
        return "identity " + signed.name() + " is not accepted by " + identity.describe();
    }

    static String shortFingerprint(String fingerprint) {
        return fingerprint.length() > 19 ? fingerprint.substring(0, 19) + "…" : fingerprint;
    }

    /**
     * Rethrows what must end the whole check, a cancelled or timed-out pull or a registry that cannot be reached,
     * so it is not reported as a bad signature; anything else is a fault of one signature.
     */
    static void rethrowIfFatal(OciMountException e) {
        ErrorKind k = e.kind();
        if (k == ErrorKind.CANCELLED || k == ErrorKind.DEADLINE_EXCEEDED || k == ErrorKind.UNAVAILABLE) {
            throw e;
        }
    }

    /**
     * The first of {@code candidates} (at most {@code max} looked at, the rest counted as ignored) that
     * {@code check} verifies; each that does not, by returning null or by a non-fatal failure, is recorded as a
     * finding under {@code where.apply(i, candidate)}.
     */
    <T> SignatureResult firstVerified(List<T> candidates, int max, BiFunction<Integer, T, String> where,
                                      BiFunction<T, String, SignatureResult> check) {
        findings.ignored(Math.max(0, candidates.size() - max));
        for (int i = 0; i < Math.min(candidates.size(), max); i++) {
            cancel.check();
            String at = where.apply(i, candidates.get(i));
            try {
                SignatureResult r = check.apply(candidates.get(i), at);
                if (r != null) {
                    return r;
                }
            } catch (OciMountException e) {
                rethrowIfFatal(e);
                findings.failed(at, e.getMessage());
            }
        }
        return null;
    }
}
