package io.ocimount.errdefs;

/**
 * The one exception type the domain throws. Its message reads "operation subject: cause" and names the
 * image and layer where there is one; {@link #reason()} is the kubelet-facing prefix (ErrImagePull,
 * RegistryUnavailable, ...) or null when the caller's own words suffice.
 */
public class OciMountException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorKind kind;
    private final String reason;

    public OciMountException(ErrorKind kind, String message) {
        this(kind, null, message, null);
    }

    public OciMountException(ErrorKind kind, String message, Throwable cause) {
        this(kind, null, message, cause);
    }

    public OciMountException(ErrorKind kind, String reason, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.reason = reason;
    }

    public ErrorKind kind() {
        return kind;
    }

    public String reason() {
        return reason;
    }

    /** The same kind and reason, with more context in front of the message. */
    public OciMountException prefixed(String context) {
        return new OciMountException(kind, reason, context + ": " + getMessage(), this);
    }

    public static OciMountException invalid(String message) {
        return new OciMountException(ErrorKind.INVALID_ARGUMENT, message);
    }

    public static OciMountException notFound(String message) {
        return new OciMountException(ErrorKind.NOT_FOUND, message);
    }

    public static OciMountException dataLoss(String message) {
        return new OciMountException(ErrorKind.DATA_LOSS, message);
    }

    public static OciMountException unavailable(String message, Throwable cause) {
        return new OciMountException(ErrorKind.UNAVAILABLE, message, cause);
    }
}
