package io.ocimount.unpack;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs the file-system half of an extraction, in order, on a thread of its own, so that creating files overlaps
 * reading and decompressing the next ones (the two halves cost about the same). Every decision was already made
 * by the caller against its {@link LayerTree}; tasks only carry it out. Memory held by queued tasks is bounded.
 *
 * <p>The first failed task stops the writes: later tasks are skipped, and every wait of the caller's (for room
 * in the queue, for the end) returns with that failure at once, as a {@link LocalWriteException}. The thread that
 * made this writer is interrupted too, so that it does not go on waiting for input (a registry that stopped
 * sending) before it next hands over a write; {@link #close()} clears that interrupt again.
 */
final class FsWriter implements AutoCloseable {
    interface Task {
        void run() throws IOException;
    }

    private static final Task STOP = () -> { };
    private final BlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Semaphore kilobytes;
    private final int totalKilobytes;
    private final Thread thread;
    private final List<Closeable> closeWhenStopped = new ArrayList<>();
    private final Thread owner = Thread.currentThread();
    private boolean ownerListening = true; // guarded by this
    private boolean ownerInterrupted; // guarded by this
    private volatile Throwable failure;

    FsWriter(String name, long maxQueuedBytes) {
        this.totalKilobytes = (int) Math.max(1, Math.min(Integer.MAX_VALUE, maxQueuedBytes >> 10));
        this.kilobytes = new Semaphore(totalKilobytes);
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (true) {
            Task t;
            try {
                t = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (t == STOP) {
                return;
            }
            if (failure == null) {
                try {
                    t.run();
                } catch (Throwable e) {
                    failure = e;
                    wakeOwner();
                }
            }
        }
    }

    private synchronized void wakeOwner() {
        if (ownerListening) {
            ownerInterrupted = true;
            owner.interrupt();
        }
    }

    /** Queues a task that holds {@code bytes} of memory until it has run; throws a failure of an earlier task. */
    void submit(long bytes, Task task) throws IOException {
        rethrow();
        int permits = (int) Math.min(totalKilobytes, Math.max(1, bytes >> 10));
        try {
            while (!kilobytes.tryAcquire(permits, 50, TimeUnit.MILLISECONDS)) {
                rethrow();
            }
        } catch (InterruptedException e) {
            rethrow(); // woken by a failed task: that failure is the answer
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while queueing file writes", e);
        }
        queue.add(() -> {
            try {
                task.run();
            } finally {
                kilobytes.release(permits);
            }
        });
    }

    /**
     * Waits until every queued task has run; throws the first failure. A failure ends the wait at once: the
     * tasks behind it, this method's own marker among them, are skipped and will never run.
     */
    void finish() throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        queue.add(done::countDown);
        try {
            while (!done.await(20, TimeUnit.MILLISECONDS) && failure == null) {
                if (!thread.isAlive()) {
                    throw new IOException("file writer thread ended before its work");
                }
            }
        } catch (InterruptedException e) {
            rethrow(); // woken by a failed task: that failure is the answer
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while finishing file writes", e);
        }
        rethrow();
    }

    /** Throws the first failure of a task, if there was one: whatever else the caller saw followed from it. */
    void rethrow() throws IOException {
        Throwable f = failure;
        if (f == null) {
            return;
        }
        if (f instanceof Error e) {
            throw e;
        }
        throw new LocalWriteException(f instanceof UncheckedIOException u ? u.getCause() : f);
    }

    /**
     * Closes {@code c} when this writer stops, if a task has not: a file left open by an extraction that broke
     * off would keep its space on disk after the unfinished snapshot is deleted, until the daemon exits.
     */
    void closeWhenStopped(Closeable c) {
        closeWhenStopped.add(c);
    }

    /** Stops the thread and waits for it, so that nothing is written after this returns. */
    @Override
    public void close() {
        synchronized (this) {
            ownerListening = false;
            if (ownerInterrupted && Thread.currentThread() == owner) {
                Thread.interrupted(); // ours, and served its purpose: the pull thread goes on without it
            }
        }
        failure = failure == null ? new IOException("extraction stopped") : failure;
        queue.add(STOP);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        for (Closeable c : closeWhenStopped) {
            try {
                c.close();
            } catch (IOException ignored) {
                // the file's content does not matter any more: the snapshot is being discarded or was written
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
