package io.ocimount.policy;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Reasons;
import io.ocimount.oci.Digest;

/** A pull or mount the trust policy refused: kubelet reads the SignatureValidationFailed prefix. */
public final class PolicyDeniedException extends OciMountException {
    private static final long serialVersionUID = 1L;
    private final transient Decision decision;
    private final transient Digest imageId;

    /** @param imageId the stored image a mount was refused, or null for a pull */
    public PolicyDeniedException(String context, Decision decision, Digest imageId) {
        super(ErrorKind.PERMISSION_DENIED, Reasons.SIGNATURE_VALIDATION_FAILED, context + ": refused by policy: "
                + decision.reason(), null);
        this.decision = decision;
        this.imageId = imageId;
    }

    public Decision decision() {
        return decision;
    }

    public Digest imageId() {
        return imageId;
    }
}
