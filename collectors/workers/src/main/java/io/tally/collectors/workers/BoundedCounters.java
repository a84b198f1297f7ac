package io.tally.collectors.workers;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters by a word (an error type, a result), at most {@code limit} distinct words; past the
 * limit new words count under {@code other}, so the total stays right while labels stay bounded.
 * A known word costs one map read and one adder increment: no allocation.
 */
final class BoundedCounters {
    static final String OTHER = "other";

    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final int limit;

    BoundedCounters(int limit) {
        this.limit = limit;
    }

    /** Counts one for {@code word}; returns false when the word was invalid or over the limit (counted as other). */
    boolean increment(String word) {
        LongAdder counter = word == null ? null : counters.get(word);
        if (counter != null) {
            counter.increment();
            return true;
        }
        boolean kept = word != null && WorkerNames.validWord(word) && counters.size() < limit;
        String key = kept ? word : OTHER;
        // Past the limit by a race of first sights is fine: the limit bounds growth, not exactness.
        counters.computeIfAbsent(key, k -> new LongAdder()).increment();
        return kept;
    }

    Map<String, Double> read() {
        Map<String, Double> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, (double) v.sum()));
        return out;
    }

    boolean isEmpty() {
        return counters.isEmpty();
    }
}
