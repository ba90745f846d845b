package io.ocimount.errdefs;

/** What went wrong, in kinds that map one to one onto gRPC status codes (see cri.GrpcErrors). */
public enum ErrorKind {
    INVALID_ARGUMENT,
    NOT_FOUND,
    ALREADY_EXISTS,
    FAILED_PRECONDITION,
    PERMISSION_DENIED,
    UNAUTHENTICATED,
    RESOURCE_EXHAUSTED,
    UNAVAILABLE,
    DATA_LOSS,
    DEADLINE_EXCEEDED,
    CANCELLED,
    UNIMPLEMENTED,
    INTERNAL
}
