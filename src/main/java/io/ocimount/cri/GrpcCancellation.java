package io.ocimount.cri;

import io.grpc.Context;
import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import java.util.concurrent.TimeUnit;

/** The caller's deadline and cancellation, as a domain {@link Cancellation}. */
public final class GrpcCancellation {
    private GrpcCancellation() {
    }

    public static Cancellation current(String operation) {
        Context ctx = Context.current();
        Cancellation c = new Cancellation();
        ctx.addListener(done -> {
            boolean expired = done.getDeadline() != null && done.getDeadline().isExpired();
            c.cancel(expired ? ErrorKind.DEADLINE_EXCEEDED : ErrorKind.CANCELLED,
                    operation + ": " + (expired ? "the caller's deadline passed" : "the caller cancelled"));
        }, Runnable::run);
        if (ctx.getDeadline() != null && ctx.getDeadline().timeRemaining(TimeUnit.NANOSECONDS) <= 0) {
            c.cancel(ErrorKind.DEADLINE_EXCEEDED, operation + ": the caller's deadline passed");
        }
        return c;
    }
}
