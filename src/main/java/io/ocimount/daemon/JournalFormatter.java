package io.ocimount.daemon;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per record on stderr. Under systemd (JOURNAL_STREAM set) each line starts with the syslog priority
 * "<N>" that journald reads (sd-daemon(3)); elsewhere with a time stamp.
 */
final class JournalFormatter extends Formatter {
    private final boolean journal;

    JournalFormatter(boolean journal) {
        this.journal = journal;
    }

    @Override
    public String format(LogRecord r) {
        String prefix = journal ? "<" + priority(r.getLevel()) + ">"
                : java.time.Instant.ofEpochMilli(r.getMillis()) + " " + r.getLevel().getName() + " ";
        StringBuilder sb = new StringBuilder();
        String logger = r.getLoggerName() == null ? "" : r.getLoggerName().substring(r.getLoggerName().lastIndexOf('.') + 1);
        sb.append(prefix).append(logger).append(": ").append(formatMessage(r)).append('\n');
        if (r.getThrown() != null) {
            StringWriter sw = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(sw));
            sw.toString().lines().forEach(l -> sb.append(prefix).append("    ").append(l).append('\n'));
        }
        return sb.toString();
    }

    static int priority(Level level) {
        if (level.intValue() >= Level.SEVERE.intValue()) {
            return 3;
        }
        if (level.intValue() >= Level.WARNING.intValue()) {
            return 4;
        }
        if (level.intValue() >= Level.INFO.intValue()) {
            return 6;
        }
        return 7;
    }
}
