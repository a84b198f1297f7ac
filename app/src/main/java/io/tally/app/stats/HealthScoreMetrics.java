package io.tally.app.stats;

import io.prometheus.client.Collector;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.SnapshotListener;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/**
 * The health score of {@code GET /health} in {@code /metrics}, so that dashboards and alert rules
 * see the same figure people read: {@code tally_health_score} (0..100), {@code tally_health_status}
 * (1 for the current status) and {@code tally_health_component_ratio} (each component's 0..1 value).
 * Computed once per published snapshot, from the same {@link StatsService} cache /health reads, so
 * a scrape never computes anything. A score or component without data is absent, not 0: a 0 would
 * read as "nothing is delivered".
 */
@jakarta.inject.Singleton
public final class HealthScoreMetrics extends Collector implements SnapshotListener {
    public static final String SCORE = "tally_health_score";
    public static final String STATUS = "tally_health_status";
    public static final String COMPONENT = "tally_health_component_ratio";
    /** Every status /health can give, so a status series goes to 0 rather than vanishing when it changes. */
    static final List<String> STATUSES = List.of("healthy", "degraded", "unhealthy", "unknown");

    private final StatsService stats;
    /** The report of the latest published snapshot; null before the first. */
    private volatile HealthScore.Report latest;

    @Inject
    public HealthScoreMetrics(StatsService stats) {
        this.stats = stats;
    }

    @Override
    public void published(Snapshot snapshot) {
        latest = stats.of(snapshot).health();
    }

    @Override
    public List<MetricFamilySamples> collect() {
        HealthScore.Report report = latest;
        if (report == null) {
            return List.of();
        }
        List<MetricFamilySamples> out = new ArrayList<>(3);
        if (report.score() != null) {
            out.add(new MetricFamilySamples(SCORE, Type.GAUGE,
                    "The system health score of GET /health, 0..100 (docs/api.md#health-score).",
                    List.of(new MetricFamilySamples.Sample(SCORE, List.of(), List.of(), report.score()))));
        }
        List<MetricFamilySamples.Sample> statuses = new ArrayList<>(STATUSES.size());
        for (String status : STATUSES) {
            statuses.add(new MetricFamilySamples.Sample(STATUS, List.of("status"), List.of(status),
                    status.equals(report.status()) ? 1 : 0));
        }
        out.add(new MetricFamilySamples(STATUS, Type.GAUGE,
                "1 for the current system status of GET /health: healthy, degraded, unhealthy or unknown.", statuses));
        List<MetricFamilySamples.Sample> components = new ArrayList<>();
        for (HealthScore.Component c : report.components()) {
            if (c.value() != null) {
                components.add(new MetricFamilySamples.Sample(COMPONENT, List.of("component"), List.of(c.name()),
                        c.value()));
            }
        }
        if (!components.isEmpty()) {
            out.add(new MetricFamilySamples(COMPONENT, Type.GAUGE,
                    "Value 0..1 of each health score component that has data (publishing, targets, latency, queues, "
                            + "freshness).", components));
        }
        return out;
    }
}
