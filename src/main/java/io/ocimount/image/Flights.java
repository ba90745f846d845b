package io.ocimount.image;

import io.ocimount.errdefs.Cancellation;
import io.ocimount.errdefs.ErrorKind;
import io.ocimount.errdefs.OciMountException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Single-flight: callers asking for the same key share one run of the work. The work has its own cancellation,
 * fired only when every caller waiting on it has gone (so one impatient caller does not break the others' pull).
 */
final class Flights<K, V> {
    private final Executor executor;
    private final Map<K, Flight<V>> running = new HashMap<>();

    Flights(Executor executor) {
        this.executor = executor;
    }

    private static final class Flight<V> {
        final CompletableFuture<V> result = new CompletableFuture<>();
        final Cancellation cancel = new Cancellation();
        int waiters;
    }

    V join(K key, Cancellation caller, Function<Cancellation, V> work) {
        Flight<V> flight;
        boolean start = false;
        synchronized (this) {
            flight = running.get(key);
            if (flight == null) {
                flight = new Flight<>();
                running.put(key, flight);
                start = true;
            }
            flight.waiters++;
        }
        if (start) {
            Flight<V> f = flight;
            executor.execute(() -> {
                try {
                    f.result.complete(work.apply(f.cancel));
                } catch (Throwable t) {
                    f.result.completeExceptionally(t);
                } finally {
                    synchronized (this) {
                        running.remove(key, f);
                    }
                }
            });
        }
        return await(key, flight, caller);
    }

    private V await(K key, Flight<V> flight, Cancellation caller) {
        while (true) {
            try {
                V v = flight.result.get(50, TimeUnit.MILLISECONDS);
                leave(key, flight, false);
                return v;
            } catch (TimeoutException e) {
                if (caller.isCancelled()) {
                    leave(key, flight, true);
                    caller.check();
                }
            } catch (ExecutionException e) {
                leave(key, flight, false);
                if (e.getCause() instanceof OciMountException ome) {
                    throw ome;
                }
                throw new OciMountException(ErrorKind.INTERNAL, String.valueOf(e.getCause()), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                leave(key, flight, true);
                throw new OciMountException(ErrorKind.CANCELLED, "interrupted");
            }
        }
    }

    private synchronized void leave(K key, Flight<V> flight, boolean abandoning) {
        flight.waiters--;
        if (abandoning && flight.waiters == 0 && !flight.result.isDone()) {
            flight.cancel.cancel(ErrorKind.CANCELLED, "every caller gave up");
            running.remove(key, flight); // the next caller starts afresh instead of joining a cancelled run
        }
    }
}
