package io.ocimount.cri;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import io.ocimount.errdefs.Reasons;

/**
 * Domain errors → gRPC status. Pull failures go out as UNKNOWN because cri-client hands kubelet the bare message
 * only for that code, and kubelet reads the reason from the message prefix (RegistryUnavailable, ...).
 */
public final class GrpcErrors {
    private GrpcErrors() {
    }

    public static StatusRuntimeException of(RuntimeException e) {
        if (e instanceof StatusRuntimeException s) {
            return s;
        }
        if (!(e instanceof OciMountException ome)) {
            return Status.INTERNAL.withDescription(String.valueOf(e)).withCause(e).asRuntimeException();
        }
        return status(ome.kind()).withDescription(message(ome)).asRuntimeException();
    }

    public static StatusRuntimeException ofPull(RuntimeException e) {
        if (e instanceof OciMountException ome) {
            ErrorKind k = ome.kind();
            if (k == ErrorKind.DEADLINE_EXCEEDED || k == ErrorKind.CANCELLED || k == ErrorKind.INVALID_ARGUMENT
                    && Reasons.INVALID_IMAGE_NAME.equals(ome.reason())) {
                return of(e);
            }
            return Status.UNKNOWN.withDescription(message(ome)).asRuntimeException();
        }
        return of(e);
    }

    static String message(OciMountException e) {
        String msg = e.getMessage();
        return e.reason() == null || msg.startsWith(e.reason()) ? msg : e.reason() + ": " + msg;
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
