package io.tally.collectors.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything one collection found, immutable: when, how long it took, each collector's outcome, the
 * metric families sorted by name, and the per-target index. Readers never see a half-built one.
 *
 * @param sequence      increases by one per collection; 0 for the empty snapshot before the first
 * @param collectedTick the clock tick (nanoseconds, monotonic) the collection started at, for ages
 */
public record Snapshot(long sequence, Instant collectedAt, long collectedTick, Duration duration,
                       List<CollectorOutcome> outcomes, List<MetricFamily> families, TargetIndex targets) {

    public Snapshot {
        outcomes = List.copyOf(outcomes);
        families = List.copyOf(families);
    }

    public static Snapshot empty(Instant at, long tick) {
        return new Snapshot(0, at, tick, Duration.ZERO, List.of(), List.of(), TargetIndex.EMPTY);
    }

    public CollectorOutcome outcome(String collector) {
        for (CollectorOutcome outcome : outcomes) {
            if (outcome.collector().equals(collector)) {
                return outcome;
            }
        }
        return null;
    }

    public MetricFamily family(String name) {
        for (MetricFamily family : families) {
            if (family.name().equals(name)) {
                return family;
            }
        }
        return null;
    }

    public int seriesCount() {
        int n = 0;
        for (MetricFamily family : families) {
            n += family.seriesCount();
        }
        return n;
    }

    /** Age at the clock tick {@code nowTick}. */
    public Duration age(long nowTick) {
        return Duration.ofNanos(Math.max(0, nowTick - collectedTick));
    }
}
