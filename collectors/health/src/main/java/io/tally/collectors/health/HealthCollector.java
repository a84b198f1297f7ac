package io.tally.collectors.health;

import io.tally.collectors.core.BucketHistogram;
import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.CollectionOutput;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.target.HealthStatus;

import java.util.EnumMap;
import java.util.Map;

/** Per-target health series and facts, read from the prober's latest state. */
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
        Map<HealthStatus, Integer> byStatus = new EnumMap<>(HealthStatus.class);
        for (HealthStatus status : STATUSES) {
            byStatus.put(status, 0);
        }
        for (TargetHealth health : prober.states()) {
            String name = health.target().name();
            String type = health.target().type().label();
            byStatus.merge(health.status(), 1, Integer::sum);
            for (HealthStatus status : STATUSES) {
                out.gauge(HealthMetrics.STATUS, health.status() == status ? 1 : 0, name, type, status.label());
            }
            Boolean up = health.up();
            if (up != null) {
                out.gauge(HealthMetrics.UP, up ? 1 : 0, name, type);
                out.gauge(HealthMetrics.SUCCESS_RATIO, health.successRatio(), name, type);
            }
            out.gauge(HealthMetrics.CONSECUTIVE_FAILURES, health.consecutiveFailures(), name, type);
            out.counter(HealthMetrics.CHECKS, health.checks(), name, type);
            health.failuresByClass().forEach((error, n) -> out.counter(HealthMetrics.FAILURES, n, name, type, error));
            BucketHistogram latencies = prober.latencyHistogram(name);
            if (latencies != null) {
                latencies.writeTo(out, name, type);
            }
            if (health.certificateExpiry() != null) {
                out.gauge(HealthMetrics.CERT_EXPIRY, health.certificateExpiry().toEpochMilli() / 1000.0, name, type);
            }
            out.fact(name, health.fact());
        }
        byStatus.forEach((status, n) -> out.gauge(HealthMetrics.TARGETS, n, status.label()));
        out.counter(HealthMetrics.SKIPPED, prober.skipped());
        out.gauge(HealthMetrics.RUNNING, prober.running());
    }
}
