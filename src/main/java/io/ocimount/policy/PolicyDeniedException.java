package io.ocimount.policy;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Reasons;

/** A pull or mount the trust policy refused: kubelet reads the SignatureValidationFailed prefix. */
public final class PolicyDeniedException extends OciMountException {
    private static final long serialVersionUID = 1L;
    private final transient Decision decision;

    public PolicyDeniedException(String context, Decision decision) {
        super(ErrorKind.PERMISSION_DENIED, Reasons.SIGNATURE_VALIDATION_FAILED, context + ": refused by policy: "
                + decision.reason(), null);
        this.decision = decision;
    }

    public Decision decision() {
        return decision;
    }
}
