package io.ocimount.policy.signature;

import io.ocimount.errdefs.Quote;
import io.ocimount.oci.Digest;
import java.util.ArrayList;
import java.util.List;

/**
 * What the search for a verified signature met on the way: how many signatures there were, whether one verified
 * but named an identity the policy refuses, and why each failed. It becomes the refusal: the kubelet event and
 * the audit record show the reason, so it stays bounded however many signatures a registry serves, and each line
 * is cut so that one long line cannot hide the others.
 */
final class SignatureFindings {
    static final int MAX_REASON_CHARS = 600;
    static final int MAX_LINE_CHARS = 256;
    private static final int MORE_CHARS = "; and 999 more".length();
    private final List<String> lines = new ArrayList<>();
    private int signatures;
    private boolean identityRefused;
    private int ignored;

    /** Signatures were found (whatever becomes of them, looked at or not): the image is not unsigned. */
    void found(int count) {
        signatures += count;
    }

    /** Why the signature or lookup at {@code where} failed; {@code why} is escaped and cut here. */
    void failed(String where, String why) {
        String line = Quote.visible(where + ": " + why);
        lines.add(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS - 1) + "…" : line);
    }

    /** A signature verified with a trusted key, but signedIdentity does not accept what it names. */
    void identityRefused(String where, String why) {
        identityRefused = true;
        failed(where, why);
    }

    /** Signatures beyond the caps, never looked at. */
    void ignored(int count) {
        ignored += count;
    }

    SignatureResult refused(List<Digest> digests) {
        StringBuilder reason = new StringBuilder();
        SignatureResult.Failure failure;
        if (signatures == 0) {
            failure = SignatureResult.Failure.UNSIGNED;
            reason.append("no cosign signature or sigstore bundle found for ");
            for (int i = 0; i < digests.size(); i++) {
                reason.append(i == 0 ? "" : " or ").append(digests.get(i));
            }
        } else {
            failure = identityRefused ? SignatureResult.Failure.IDENTITY : SignatureResult.Failure.BAD_SIGNATURE;
            reason.append(signatures).append(signatures == 1 ? " signature" : " signatures")
                    .append(" found, none verified");
        }
        if (ignored > 0) {
            reason.append(" (").append(ignored).append(" more beyond the cap were not looked at)");
        }
        for (int i = 0; i < lines.size(); i++) {
            String next = "; " + lines.get(i);
            int room = i == lines.size() - 1 ? 0 : MORE_CHARS; // keep space to say how many are left out
            if (reason.length() + next.length() + room > MAX_REASON_CHARS) {
                reason.append("; and ").append(lines.size() - i).append(" more");
                break;
            }
            reason.append(next);
        }
        return SignatureResult.refused(failure, reason.toString());
    }
}
