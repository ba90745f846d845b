package io.ocimount.errdefs;

/** The message prefixes kubelet matches (k8s.io/cri-api pkg/errors and kubelet's image manager). */
public final class Reasons {
    public static final String ERR_IMAGE_PULL = "ErrImagePull";
    public static final String REGISTRY_UNAVAILABLE = "RegistryUnavailable";
    public static final String SIGNATURE_VALIDATION_FAILED = "SignatureValidationFailed";
    public static final String INVALID_IMAGE_NAME = "InvalidImageName";
    public static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";
    public static final String IMAGE_VOLUME_MOUNT_FAILED = "ImageVolumeMountFailed";

    private Reasons() {
    }
}
