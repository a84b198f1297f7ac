package io.tally.app.metrics;

import com.codahale.metrics.Gauge;

/**
 * A series of the latest snapshot as a Dropwizard gauge. Counters are gauges here too: Dropwizard
 * counters are long-valued and mutable by anyone, while these values only come from snapshots.
 * Histograms hold a {@link HistogramValue}.
 */
public final class SnapshotGauge implements Gauge<Object> {
    private volatile Object value;
    /** The name it is registered under. */
    final String name;
    long generation;

    SnapshotGauge(String name, Object value) {
        this.name = name;
        this.value = value;
    }

    void set(Object value) {
        this.value = value;
    }

    @Override
    public Object getValue() {
        return value;
    }
}
