package io.ocimount.unpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The writer thread's failures reach the extracting thread at once, wherever in the queue they happen. */
class FsWriterTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(5);

    @Test
    void aFailureOfTheLastTaskEndsFinishWithItsCause() {
        // The disk fills while the last files are written: every task is queued before the failure happens.
        LocalWriteException e = assertTimeoutPreemptively(PROMPTLY, () -> {
            try (FsWriter w = new FsWriter("test-writer", 1 << 20)) {
                CountDownLatch queued = new CountDownLatch(1);
                w.submit(0, () -> await(queued));
                w.submit(0, () -> {
                    throw new IOException("write /store/tmp-1/fs/last.bin: No space left on device");
                });
                w.submit(10, () -> { });
                queued.countDown();
                return assertThrows(LocalWriteException.class, w::finish);
            }
        });
        assertEquals("write /store/tmp-1/fs/last.bin: No space left on device", e.getMessage());
        assertTrue(io.ocimount.sys.IoErrors.isDiskFull(e));
    }

    @Test
    void tasksAfterAFailureAreSkippedAndSubmitReportsIt() throws Exception {
        AtomicInteger ranAfter = new AtomicInteger();
        try (FsWriter w = new FsWriter("test-writer", 1 << 20)) {
            w.submit(0, () -> {
                throw new java.io.UncheckedIOException(new IOException("mkdir: Read-only file system"));
            });
            for (int i = 0; i < 3; i++) {
                try {
                    w.submit(0, ranAfter::incrementAndGet);
                } catch (LocalWriteException expected) {
                    break;
                }
            }
            LocalWriteException e = assertThrows(LocalWriteException.class, w::finish);
            assertEquals("mkdir: Read-only file system", e.getMessage());
        }
        assertEquals(0, ranAfter.get());
    }

    @Test
    void aWaitForQueueRoomEndsWhenTheWriterFails() {
        assertTimeoutPreemptively(PROMPTLY, () -> {
            try (FsWriter w = new FsWriter("test-writer", 4 << 10)) {
                CountDownLatch release = new CountDownLatch(1);
                w.submit(4 << 10, () -> {
                    await(release);
                    throw new IOException("No space left on device");
                });
                new Thread(release::countDown).start();
                // The queue is full until the failing task ends; the caller learns of the failure by the end.
                assertThrows(LocalWriteException.class, () -> {
                    w.submit(4 << 10, () -> { });
                    w.finish();
                });
            }
        });
    }

    @Test
    void aFailureWakesTheThreadThatWaitsForInputAndCloseClearsTheWakeUp() {
        assertTimeoutPreemptively(PROMPTLY, () -> {
            java.util.concurrent.BlockingQueue<byte[]> input = new java.util.concurrent.LinkedBlockingQueue<>();
            try (FsWriter w = new FsWriter("test-writer", 1 << 20)) {
                w.submit(0, () -> {
                    throw new IOException("write /store/x: No space left on device");
                });
                // the extracting thread now waits for input from a registry that sends nothing
                assertThrows(InterruptedException.class, input::take);
                assertThrows(LocalWriteException.class, w::rethrow);
            }
            assertTrue(!Thread.currentThread().isInterrupted(), "the pull thread goes on uninterrupted");
        });
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
        }
    }

    @Test
    void finishWaitsForEveryTaskWhenNothingFails() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        try (FsWriter w = new FsWriter("test-writer", 1 << 20)) {
            for (int i = 0; i < 100; i++) {
                w.submit(1, ran::incrementAndGet);
            }
            w.finish();
        }
        assertEquals(100, ran.get());
    }
}
