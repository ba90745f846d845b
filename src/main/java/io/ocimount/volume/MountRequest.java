package io.ocimount.volume;

/**
 * What a caller asks to mount. {@code pullPolicy} null means kubelet's default for the reference.
 *
 * @param readonly must be true: image volumes are read-only by definition
 * @param hostPath must be empty: the image is the source
 */
public record MountRequest(String volumeId, String target, String image, String subPath, boolean readonly,
                           String hostPath, PullPolicy pullPolicy, String podNamespace, String podName, String podUid) {
    public MountRequest {
        subPath = subPath == null ? "" : subPath;
        hostPath = hostPath == null ? "" : hostPath;
        podNamespace = podNamespace == null ? "" : podNamespace;
        podName = podName == null ? "" : podName;
        podUid = podUid == null ? "" : podUid;
    }

    /** Whether a repeated request asks for the same mount (then it is a success that changes nothing). */
    boolean sameMountAs(VolumeRecord r) {
        return r.target().equals(target) && r.image().equals(image) && r.subPath().equals(subPath);
    }
}
