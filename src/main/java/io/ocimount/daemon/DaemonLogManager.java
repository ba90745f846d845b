package io.ocimount.daemon;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager resets (removes every handler) from its own shutdown hook, which races with the
 * daemon's: the "stopped" line at SIGTERM was lost. Once the daemon has set logging up, reset is ignored; the
 * console handler flushes every record anyway.
 */
public final class DaemonLogManager extends LogManager {
    private static volatile boolean configured;

    static void configured() {
        configured = true;
    }

    @Override
    public void reset() {
        if (!configured) {
            super.reset();
        }
    }
}
