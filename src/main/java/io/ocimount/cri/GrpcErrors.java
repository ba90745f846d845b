package io.ocimount.cri;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Quote;
import io.ocimount.errdefs.Reasons;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Domain errors → gRPC status. Pull failures go out as UNKNOWN because cri-client hands kubelet the bare message
 * only for that code, and kubelet reads the reason from the message prefix (RegistryUnavailable, ...).
 *
 * <p>Every description leaves bounded and on one line (see {@link #MAX_DESCRIPTION_BYTES}), whatever the domain
 * put in it: the last line of defence for input no one quoted with {@link Quote}.
 */
public final class GrpcErrors {
    /**
     * Most UTF-8 bytes a description may hold. gRPC sends it percent-encoded in a trailer (up to 3 bytes per byte)
     * and clients refuse more than 8 KiB of metadata, failing the call with a transport error instead of ours.
     */
    public static final int MAX_DESCRIPTION_BYTES = 2048;
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class.getName());

    private GrpcErrors() {
    }

    /** @param operation the RPC, e.g. "ImageStatus": names an exception that is not ours (INTERNAL) */
    public static StatusRuntimeException of(String operation, RuntimeException e) {
        if (e instanceof StatusRuntimeException s) {
            return status(s.getStatus(), s.getStatus().getDescription(), s.getCause());
        }
        if (!(e instanceof OciMountException ome)) {
            String cause = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            LOG.log(Level.WARNING, operation + ": unexpected " + e.getClass().getName(), e); // a bug: keep the trace
            return status(Status.INTERNAL, operation + ": " + cause, e);
        }
        return status(status(ome.kind()), message(ome), null);
    }

    /**
     * As {@link #of}, except that failures of the pull itself go out as UNKNOWN for kubelet. A refusal by the trust
     * policy stays PERMISSION_DENIED: kubelet reads its SignatureValidationFailed prefix either way, and the CLI exits 4.
     */
    public static StatusRuntimeException ofPull(String operation, RuntimeException e) {
        if (e instanceof OciMountException ome) {
            ErrorKind k = ome.kind();
            if (k == ErrorKind.DEADLINE_EXCEEDED || k == ErrorKind.CANCELLED || k == ErrorKind.INVALID_ARGUMENT
                    && Reasons.INVALID_IMAGE_NAME.equals(ome.reason())
                    || Reasons.SIGNATURE_VALIDATION_FAILED.equals(ome.reason())) {
                return of(operation, e);
            }
            return status(Status.UNKNOWN, message(ome), null);
        }
        return of(operation, e);
    }

    /**
     * A failed image-volume mount: the volume's own failures keep their kind (a bad target, a missing sub path,
     * Never with the image absent), a failed pull inside it is reported as PullImage would report it.
     */
    public static StatusRuntimeException ofMount(String operation, RuntimeException e) {
        boolean volumeFailure = !(e instanceof OciMountException ome) || Reasons.IMAGE_VOLUME_MOUNT_FAILED.equals(ome.reason())
                || Reasons.ERR_IMAGE_NEVER_PULL.equals(ome.reason());
        return volumeFailure ? of(operation, e) : ofPull(operation, e);
    }

    /** The caller's own mistake, found by the adapter itself. */
    public static StatusRuntimeException invalid(String description) {
        return status(Status.INVALID_ARGUMENT, description, null);
    }

    static String message(OciMountException e) {
        String msg = e.getMessage();
        return e.reason() == null || msg.startsWith(e.reason()) ? msg : e.reason() + ": " + msg;
    }

    private static StatusRuntimeException status(Status code, String description, Throwable cause) {
        return code.withDescription(description == null ? null : bounded(description)).withCause(cause).asRuntimeException();
    }

    /** Control characters made visible, then cut between code points to fit, with a marker saying so. */
    static String bounded(String description) {
        // no character takes less than one byte, so what lies past MAX_DESCRIPTION_BYTES chars cannot fit anyway
        int headEnd = Math.min(description.length(), MAX_DESCRIPTION_BYTES);
        if (headEnd < description.length() && Character.isHighSurrogate(description.charAt(headEnd - 1))) {
            headEnd--;
        }
        String visible = Quote.visible(description.substring(0, headEnd));
        if (headEnd == description.length() && utf8Length(visible) <= MAX_DESCRIPTION_BYTES) {
            return visible;
        }
        String marker = "… (cut from " + description.length() + " chars)";
        int budget = MAX_DESCRIPTION_BYTES - utf8Length(marker);
        int end = 0;
        for (int used = 0; end < visible.length(); end += Character.charCount(visible.codePointAt(end))) {
            used += utf8Length(visible.codePointAt(end));
            if (used > budget) {
                break;
            }
        }
        return visible.substring(0, end) + marker;
    }

    private static int utf8Length(String s) {
        return s.codePoints().map(GrpcErrors::utf8Length).sum();
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    static Status status(ErrorKind kind) {
        return switch (kind) {
            case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
            case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
            case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
            case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
            case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case DATA_LOSS -> Status.DATA_LOSS;
            case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
            case CANCELLED -> Status.CANCELLED;
            case UNIMPLEMENTED -> Status.UNIMPLEMENTED;
            case INTERNAL -> Status.INTERNAL;
        };
    }
}
