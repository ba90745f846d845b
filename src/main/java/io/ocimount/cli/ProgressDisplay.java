package io.ocimount.cli;

import io.ocimount.api.v1.LayerProgress;
import io.ocimount.api.v1.PullProgress;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Shows pull progress: on a terminal, one line per layer redrawn in place (bytes, total, rate); elsewhere (logs,
 * pipes) one plain line when a layer finishes.
 */
final class ProgressDisplay {
    private final PrintStream out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private final Map<String, Long> firstSeen = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    private int drawnLines;

    ProgressDisplay(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void show(PullProgress p) {
        long now = System.nanoTime();
        p.getLayersList().forEach(l -> {
            if (!l.getState().equals("waiting")) {
                firstSeen.putIfAbsent(l.getDigest(), now);
            }
        });
        if (terminal) {
            if (drawnLines > 0) {
                out.print("\033[" + drawnLines + "A");
            }
            for (LayerProgress l : p.getLayersList()) {
                out.print("\033[2K" + line(l, now) + "\n");
            }
            drawnLines = p.getLayersCount();
        } else {
            for (LayerProgress l : p.getLayersList()) {
                boolean finished = l.getState().equals("done") || l.getState().equals("reused");
                if (finished && reported.add(l.getDigest())) {
                    out.println(line(l, now));
                }
            }
        }
        out.flush();
    }

    void finish() {
        out.printf("pulled in %.2f s%n", (System.nanoTime() - start) / 1e9);
    }

    private String line(LayerProgress l, long now) {
        String digest = l.getDigest().length() > 19 ? l.getDigest().substring(0, 19) : l.getDigest();
        double secs = (now - firstSeen.getOrDefault(l.getDigest(), now)) / 1e9;
        String rate = secs > 0.05 && l.getFetched() > 0 ? String.format("  %s/s", size((long) (l.getFetched() / secs))) : "";
        return switch (l.getState()) {
            case "reused" -> String.format("%s  already unpacked", digest);
            case "waiting" -> String.format("%s  waiting   %s", digest, size(l.getSize()));
            default -> String.format("%s  %-8s  %s / %s%s", digest, l.getState(), size(l.getFetched()), size(l.getSize()), rate);
        };
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        String[] units = {"KB", "MB", "GB", "TB"};
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format("%.1f %s", v, units[i]);
    }
}
