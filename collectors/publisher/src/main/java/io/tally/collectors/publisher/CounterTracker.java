package io.tally.collectors.publisher;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns raw counter readings into totals that survive a publisher restart: when a reading is lower
 * than the last one, the counter was reset, and everything counted before is kept as an offset
 * (what Prometheus' {@code increase()} does). Used by the scraping thread only.
 */
final class CounterTracker {
    private final Map<String, double[]> series = new HashMap<>(); // key -> {last raw, offset}

    double adjusted(String key, double raw) {
        double[] s = series.get(key);
        if (s == null) {
            series.put(key, new double[] {raw, 0});
            return raw;
        }
        if (raw < s[0]) {
            s[1] += s[0];
        }
        s[0] = raw;
        return raw + s[1];
    }

    /** Forgets series not in the latest scrape, so that the map does not grow forever. */
    void retain(java.util.Set<String> seen) {
        series.keySet().retainAll(seen);
    }
}
