package io.tally.collectors.queue;

import java.util.List;
import java.util.Locale;

/**
 * A Burrow-style judgement of a queue from the depths of its last polls (oldest first), checked in
 * this order:
 * <ol>
 *   <li>{@code stopped}: depth &gt; 0 and the broker reports no consumers;</li>
 *   <li>{@code stalled}: the window is full, depth &gt; 0 and it did not change at all;</li>
 *   <li>{@code warn}: the window is full and the depth never fell and ended higher than it began;</li>
 *   <li>{@code ok}: anything else, including an empty queue and a window not yet full.</li>
 * </ol>
 */
public enum QueueVerdict {
    OK, WARN, STALLED, STOPPED;

    /** Lower-cased once: labels are written for every series. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    public static QueueVerdict judge(List<Long> depths, int window, Integer consumers) {
        if (depths.isEmpty()) {
            return OK;
        }
        long last = depths.get(depths.size() - 1);
        if (last > 0 && consumers != null && consumers == 0) {
            return STOPPED;
        }
        if (depths.size() < window) {
            return OK;
        }
        boolean unchanged = true;
        boolean neverFell = true;
        for (int i = 1; i < depths.size(); i++) {
            unchanged &= depths.get(i).equals(depths.get(i - 1));
            neverFell &= depths.get(i) >= depths.get(i - 1);
        }
        if (last > 0 && unchanged) {
            return STALLED;
        }
        if (neverFell && last > depths.get(0)) {
            return WARN;
        }
        return OK;
    }
}
