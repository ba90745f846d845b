package io.ocimount.volume;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.errdefs.Reasons;
import io.ocimount.image.ImageHold;
import io.ocimount.image.ImageRecord;
import io.ocimount.image.ImageService;
import io.ocimount.policy.audit.Requester;
import io.ocimount.registry.Credentials;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The image a volume mounts, found or pulled by kubelet's pull policy, and held until the volume's record holds
 * its layers. RemoveImage may take the image between the two: then it is looked for again (and pulled again if
 * the policy allows), so a mount racing a removal succeeds or fails with a clear reason, never half-way.
 */
public final class VolumeImages {
    private static final Logger LOG = Logger.getLogger(VolumeImages.class.getName());
    /** A removal racing every attempt this often is a caller removing on purpose, not bad luck. */
    private static final int ATTEMPTS = 3;
    private final ImageService images;

    public VolumeImages(ImageService images) {
        this.images = images;
    }

    /**
     * The image held. A stored image (not pulled now) is checked against the trust policy of now once held: the
     * check reads its manifest, which a removal racing the mount could otherwise take from under it.
     */
    ImageHold hold(MountRequest req, Requester who, Credentials creds, Cancellation cancel) {
        for (int attempt = 1; ; attempt++) {
            Found found = ensure(req, who, creds, cancel);
            ImageRecord image = found.image();
            Optional<ImageHold> hold = images.hold(image);
            if (hold.isPresent()) {
                if (found.stored()) {
                    try {
                        images.checkPolicy(hold.get().image(), req.image());
                    } catch (RuntimeException e) {
                        hold.get().close();
                        throw e;
                    }
                }
                return hold.get();
            }
            if (attempt == ATTEMPTS) {
                throw req.failed(ErrorKind.NOT_FOUND, "image " + image.id() + " was removed while being mounted, "
                        + ATTEMPTS + " times in a row");
            }
            LOG.info(() -> "image " + image.id() + " was removed while volume " + Quote.of(req.volumeId())
                    + " was being mounted; looking for it again");
        }
    }

    /** The image a mount uses, and whether it was already stored (then the policy is checked once it is held). */
    private record Found(ImageRecord image, boolean stored) {
    }

    /** Applies the pull policy; pull failures keep their own message (kubelet reads their prefix). */
    private Found ensure(MountRequest req, Requester who, Credentials creds, Cancellation cancel) {
        PullPolicy policy = effectivePolicy(req);
        Optional<ImageRecord> present = images.status(req.image());
        if (present.isPresent() && policy != PullPolicy.ALWAYS) {
            try {
                images.checkAccess(present.get(), req.image(), creds, cancel);
            } catch (OciMountException e) {
                throw e.kind() == ErrorKind.PERMISSION_DENIED ? req.failed(e.kind(), e.getMessage()) : e;
            }
            return new Found(present.get(), true);
        }
        if (policy == PullPolicy.NEVER) {
            throw new OciMountException(ErrorKind.FAILED_PRECONDITION, Reasons.ERR_IMAGE_NEVER_PULL,
                    "Container image " + Quote.of(req.image()) + " is not present with pull policy of Never (volume "
                            + req.volumeId() + ")", null);
        }
        return new Found(images.pull(req.image(), who, creds, cancel), false);
    }

    /** The request's pull policy, or kubelet's default for its reference. */
    static PullPolicy effectivePolicy(MountRequest req) {
        return req.pullPolicy() != null ? req.pullPolicy() : PullPolicy.defaultFor(req.image());
    }
}
