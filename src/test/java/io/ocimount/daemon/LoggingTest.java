package io.ocimount.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The daemon's INFO lines survive a garbage collection: JUL holds loggers weakly, so a level set on a logger nobody
 * holds is lost with it, and then "serving on" (which DaemonProcess waits for) was dropped now and then.
 */
class LoggingTest {
    @Test
    void theLevelOfOurLoggersOutlivesAGarbageCollection() throws Exception {
        Logger root = Logger.getLogger("");
        Handler[] before = root.getHandlers();
        Level rootLevel = root.getLevel();
        try {
            Logging.configure("info");
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertTrue(Logger.getLogger("io.ocimount.daemon.Daemon").isLoggable(Level.INFO),
                    "INFO from the daemon is still written after a GC");
        } finally {
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
            }
            for (Handler h : before) {
                root.addHandler(h);
            }
            root.setLevel(rootLevel);
        }
    }
}
