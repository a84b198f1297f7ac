package io.tally.collectors.core.workers;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How much a total grew over the last window, per key (a target's DLQ writes): what "the DLQ is
 * growing" means for the health score. Keeps one reading per observation inside the window plus
 * the last one before it, at most {@link #MAX_READINGS} per key. One thread observes at a time (a
 * collection, a scrape); not for the hot path.
 */
public final class WindowedIncrease {
    static final int MAX_READINGS = 512;

    private final long windowNanos;
    private final Map<String, ArrayDeque<long[]>> readings = new HashMap<>(); // {tick, Double bits}

    public WindowedIncrease(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /**
     * Records {@code total} at {@code tick} and returns how much it grew since the window began (since
     * the first reading, while the history is shorter than the window). A total that went down (a
     * restart) starts the history again.
     */
    public synchronized double observe(String key, long tick, double total) {
        ArrayDeque<long[]> history = readings.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (!history.isEmpty() && Double.longBitsToDouble(history.peekLast()[1]) > total) {
            history.clear();
        }
        history.addLast(new long[] {tick, Double.doubleToLongBits(total)});
        // Keep the newest reading at or before the window's start: the increase is measured from it.
        while (history.size() > 1) {
            long[] first = history.pollFirst();
            long[] second = history.peekFirst();
            if (second[0] > tick - windowNanos) {
                history.addFirst(first);
                break;
            }
        }
        while (history.size() > MAX_READINGS) {
            history.pollFirst();
        }
        return Math.max(0, total - Double.longBitsToDouble(history.peekFirst()[1]));
    }

    /** Forgets keys not in {@code keys}, so that removed targets do not stay forever. */
    public synchronized void retain(Set<String> keys) {
        readings.keySet().retainAll(keys);
    }

    public long windowSeconds() {
        return windowNanos / 1_000_000_000L;
    }
}
