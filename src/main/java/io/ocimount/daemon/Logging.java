package io.ocimount.daemon;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Routes java.util.logging (ours and gRPC's) to stderr through {@link JournalFormatter}. */
public final class Logging {
    /** Held so the level sticks: JUL keeps loggers only weakly. */
    private static final Logger NETTY_BOOTSTRAP = Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap");
    /** Held for the same reason: a collected "io.ocimount" logger takes its INFO level with it (lines were lost). */
    private static final Logger OURS = Logger.getLogger("io.ocimount");

    private Logging() {
    }

    /** Called by every command: the CLI's gRPC client would print the same warning per connection. */
    public static void quietNetty() {
        NETTY_BOOTSTRAP.setLevel(Level.SEVERE);
    }

    static void configure(String level) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler handler = new ConsoleHandler();
        handler.setFormatter(new JournalFormatter(System.getenv("JOURNAL_STREAM") != null));
        Level ours = switch (level) {
            case "debug" -> Level.FINE;
            case "warn" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default -> Level.INFO;
        };
        handler.setLevel(Level.ALL);
        root.addHandler(handler);
        root.setLevel(Level.WARNING);
        OURS.setLevel(ours);
        // gRPC asks for SO_KEEPALIVE on every accepted connection; unix sockets have none, and saying so per RPC is noise
        NETTY_BOOTSTRAP.setLevel(Level.SEVERE);
        DaemonLogManager.configured();
    }
}
