package io.tally.collectors.health;

import io.tally.collectors.core.BucketHistogram;
import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.CollectionOutput;
import io.tally.collectors.core.Collector;

import java.util.Map;

/**
 * Per-target health series and facts, read from the prober's latest state. Each target's series
 * are built once per probe result and included by reference until the next one; only the counts
 * across targets are written afresh.
 */
public final class HealthCollector implements Collector {
    private static final HealthStatus[] STATUSES = HealthStatus.values();

    private final HealthProber prober;

    public HealthCollector(HealthProber prober) {
        this.prober = prober;
    }

    @Override
    public String name() {
        return "health";
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public void collect(CollectionContext context, CollectionOutput out) {
        int[] byStatus = new int[STATUSES.length];
        prober.forEachSlot((health, latencies, series) -> {
            byStatus[health.status().ordinal()]++;
            out.include(series.get(health, latencies, HealthCollector::write));
        });
        for (HealthStatus status : STATUSES) {
            out.gauge(HealthMetrics.TARGETS, byStatus[status.ordinal()], status.label());
        }
        out.counter(HealthMetrics.SKIPPED, prober.skipped());
        out.gauge(HealthMetrics.RUNNING, prober.running());
    }

    private static void write(TargetHealth health, BucketHistogram latencies, CollectionOutput out) {
        String name = health.target().name();
        String type = health.target().type().label();
        HealthStatus current = health.status();
        for (HealthStatus status : STATUSES) {
            out.gauge(HealthMetrics.STATUS, current == status ? 1 : 0, name, type, status.label());
        }
        Boolean up = health.up();
        if (up != null) {
            out.gauge(HealthMetrics.UP, up ? 1 : 0, name, type);
            out.gauge(HealthMetrics.SUCCESS_RATIO, health.successRatio(), name, type);
        }
        out.gauge(HealthMetrics.CONSECUTIVE_FAILURES, health.consecutiveFailures(), name, type);
        out.counter(HealthMetrics.CHECKS, health.checks(), name, type);
        for (Map.Entry<String, Long> failure : health.failuresByClass().entrySet()) {
            out.counter(HealthMetrics.FAILURES, failure.getValue(), name, type, failure.getKey());
        }
        latencies.writeTo(out, name, type);
        if (health.certificateExpiry() != null) {
            out.gauge(HealthMetrics.CERT_EXPIRY, health.certificateExpiry().toEpochMilli() / 1000.0, name, type);
        }
        out.fact(name, health.fact());
    }
}
