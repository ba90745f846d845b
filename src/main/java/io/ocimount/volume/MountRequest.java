package io.ocimount.volume;

import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.errdefs.Reasons;
import java.nio.charset.StandardCharsets;

/**
 * What a caller asks to mount. {@code pullPolicy} null means kubelet's default for the reference.
 *
 * @param readonly must be true: image volumes are read-only by definition
 * @param hostPath must be empty: the image is the source
 */
public record MountRequest(String volumeId, String target, String image, String subPath, boolean readonly,
                           String hostPath, PullPolicy pullPolicy, String podNamespace, String podName, String podUid,
                           String podServiceAccount) {
    /** PATH_MAX: the CLI's default volume id is the target path. */
    static final int MAX_ID_BYTES = 4096;
    /** A pod's name, the longest of the three pod fields (a DNS subdomain). */
    static final int MAX_POD_FIELD_BYTES = 253;

    public MountRequest {
        volumeId = volumeId == null ? "" : volumeId;
        target = target == null ? "" : target;
        image = image == null ? "" : image;
        subPath = subPath == null ? "" : subPath;
        hostPath = hostPath == null ? "" : hostPath;
        podNamespace = podNamespace == null ? "" : podNamespace;
        podName = podName == null ? "" : podName;
        podUid = podUid == null ? "" : podUid;
        podServiceAccount = podServiceAccount == null ? "" : podServiceAccount;
    }

    /** A request that names no service account (the CRI-style API and the CLI have none). */
    public MountRequest(String volumeId, String target, String image, String subPath, boolean readonly, String hostPath,
                        PullPolicy pullPolicy, String podNamespace, String podName, String podUid) {
        this(volumeId, target, image, subPath, readonly, hostPath, pullPolicy, podNamespace, podName, podUid, "");
    }

    /** Whether a repeated request asks for the same mount (then it is a success that changes nothing). */
    boolean sameMountAs(VolumeRecord r) {
        return r.target().equals(target) && r.image().equals(image) && r.subPath().equals(subPath);
    }

    /**
     * Refuses a request no mount could satisfy, before anything is pulled or created: every message and log line
     * names the volume by its id and pod, so those are bounded and free of control characters.
     */
    void validate() {
        String idProblem = textProblem(volumeId, MAX_ID_BYTES);
        if (volumeId.isBlank() || idProblem != null) {
            throw failed(ErrorKind.INVALID_ARGUMENT, "volume id " + Quote.of(volumeId) + ": "
                    + (idProblem != null ? idProblem : "is empty"));
        }
        for (String[] field : new String[][] {{"pod namespace", podNamespace}, {"pod name", podName}, {"pod uid", podUid},
                {"pod service account", podServiceAccount}}) {
            String problem = textProblem(field[1], MAX_POD_FIELD_BYTES);
            if (problem != null) {
                throw failed(ErrorKind.INVALID_ARGUMENT, field[0] + " " + Quote.of(field[1]) + ": " + problem);
            }
        }
        if (image.isBlank()) {
            throw failed(ErrorKind.INVALID_ARGUMENT, "no image specified");
        }
        if (!readonly) {
            throw failed(ErrorKind.INVALID_ARGUMENT, "readonly must be true for an image volume");
        }
        if (!hostPath.isEmpty()) {
            throw failed(ErrorKind.INVALID_ARGUMENT, "host_path must be empty for an image volume");
        }
        if (subPath.indexOf('\0') >= 0) {
            throw failed(ErrorKind.INVALID_ARGUMENT, "sub path " + Quote.of(subPath) + " contains a NUL byte");
        }
        try {
            TargetRules.syntax(target);
        } catch (OciMountException e) {
            throw failed(e.kind(), e.getMessage());
        }
    }

    private static String textProblem(String text, int maxBytes) {
        return text.getBytes(StandardCharsets.UTF_8).length > maxBytes ? "longer than " + maxBytes + " bytes"
                : text.chars().anyMatch(Character::isISOControl) ? "contains a control character" : null;
    }

    /** "ImageVolumeMountFailed: <cause> in image "<ref>" (volume <id>)", the form kubelet users see. */
    OciMountException failed(ErrorKind kind, String cause) {
        String shownImage = image.isBlank() ? "" : " in image " + Quote.of(image);
        String shownId = textProblem(volumeId, MAX_ID_BYTES) == null ? volumeId : Quote.of(volumeId);
        String suffix = shownImage + " (volume " + shownId + ")";
        String msg = cause.endsWith(suffix) ? cause : cause + suffix;
        return new OciMountException(kind, Reasons.IMAGE_VOLUME_MOUNT_FAILED, msg, null);
    }
}
