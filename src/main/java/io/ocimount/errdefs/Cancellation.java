package io.ocimount.errdefs;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A cancel signal handed down a pull: long loops call {@link #check()}, blocking reads register their stream
 * with {@link #closeOnCancel} so a cancelled caller does not wait for the network.
 */
public final class Cancellation {
    private final List<Closeable> toClose = new ArrayList<>();
    private volatile ErrorKind kind;
    private volatile String why;

    public static Cancellation none() {
        return new Cancellation();
    }

    /** A cancellation that fires with this one, and can also fire on its own (e.g. when a sibling task failed). */
    public Cancellation child() {
        Cancellation c = new Cancellation();
        closeOnCancel(() -> c.cancel(kind, why));
        return c;
    }

    public boolean isCancelled() {
        return kind != null;
    }

    public void cancel(ErrorKind reasonKind, String reason) {
        List<Closeable> closing;
        synchronized (this) {
            if (kind != null) {
                return;
            }
            why = reason;
            kind = reasonKind;
            closing = new ArrayList<>(toClose);
            toClose.clear();
        }
        for (Closeable c : closing) {
            closeQuietly(c);
        }
    }

    /** Throws DEADLINE_EXCEEDED or CANCELLED once cancelled. */
    public void check() {
        ErrorKind k = kind;
        if (k != null) {
            throw new OciMountException(k, why);
        }
    }

    /** Closes {@code c} if this is cancelled, now or later; call {@link #forget} when done with it. */
    public void closeOnCancel(Closeable c) {
        synchronized (this) {
            if (kind == null) {
                toClose.add(c);
                return;
            }
        }
        closeQuietly(c);
    }

    public synchronized void forget(Closeable c) {
        toClose.remove(c);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // closing is only to unblock a reader; its failure changes nothing
        }
    }
}
