package io.ocimount.image;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.ref.Reference;
import io.ocimount.registry.Credentials;
import io.ocimount.registry.RegistryClient;
import io.ocimount.registry.RegistrySession;
import java.util.logging.Logger;

/**
 * Whether a caller may have an image that is already in the store (kubelet's KEP-2535, "ensure secret pulled
 * images"): an image pulled anonymously is anyone's; one pulled with credentials is given to a caller with other
 * credentials, or none, only once the registry accepted the caller's for the image's manifest (one HEAD by digest,
 * no body). Credentials the registry accepted are remembered by their keyed hash, so the same caller is not asked
 * again.
 */
public final class PullAccess {
    private static final Logger LOG = Logger.getLogger(PullAccess.class.getName());
    private final RegistryClient registry;
    private final ImageStore records;
    private final CredentialHashes hashes;
    private final CredentialVerification policy;

    public PullAccess(RegistryClient registry, ImageStore records, CredentialHashes hashes, CredentialVerification policy) {
        this.registry = registry;
        this.records = records;
        this.hashes = hashes;
        this.policy = policy;
    }

    /**
     * Returns when the caller may use {@code image}, found for {@code reference}; otherwise throws an error that names
     * the image and says the caller's credentials were not accepted.
     */
    void check(ImageRecord image, String reference, Credentials creds, Cancellation cancel) {
        if (policy == CredentialVerification.NEVER_VERIFY || image.pulledWith().contains(CredentialHashes.ANONYMOUS)
                || image.isPreloaded() && policy == CredentialVerification.NEVER_VERIFY_PRELOADED_IMAGES) {
            return;
        }
        RegistrySession session = registry.session(Reference.parse(reference), creds);
        String hash = hashes.of(session.credentials());
        if (image.pulledWith().contains(hash)) {
            return;
        }
        try {
            session.confirmManifest(image.target(), cancel);
        } catch (OciMountException e) {
            if (e.kind() != ErrorKind.UNAUTHENTICATED && e.kind() != ErrorKind.PERMISSION_DENIED
                    && e.kind() != ErrorKind.NOT_FOUND) {
                throw e; // a registry that is down, or a cancel, says nothing about the credentials
            }
            throw new OciMountException(ErrorKind.PERMISSION_DENIED, "image " + reference + " (" + image.id()
                    + ") is on this node, pulled with other credentials, and the caller's credentials were not accepted"
                    + " by its registry: " + e.getMessage(), null);
        }
        records.addPulledWith(image.id(), hash);
        LOG.info(() -> "image " + reference + " (" + image.id() + "): the registry accepted another caller's credentials");
    }
}
