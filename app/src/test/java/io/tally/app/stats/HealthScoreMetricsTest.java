package io.tally.app.stats;

import com.codahale.metrics.Clock;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.tally.app.collection.CollectionConfiguration;
import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.CollectionOutput;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetInfo;
import io.tally.collectors.core.catalog.TargetType;
import io.tally.collectors.health.HealthFact;
import io.tally.collectors.health.HealthStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** tally_health_score and its companions carry exactly what GET /health computes for the same snapshot. */
class HealthScoreMetricsTest {

    @Test
    void theScoreStatusAndComponentsOfTheLatestSnapshotAreExported() throws Exception {
        // One healthy and one unhealthy target, nothing else: targets 0.5, latency 1.0, freshness 1.0;
        // 100 * (0.30 * 0.5 + 0.15 * 1 + 0.10 * 1) / 0.55 = 72.7, degraded.
        Collector facts = new Collector() {
            public String name() {
                return "facts";
            }

            public boolean isAvailable() {
                return true;
            }

            public void collect(CollectionContext context, CollectionOutput out) {
                for (HealthStatus status : List.of(HealthStatus.HEALTHY, HealthStatus.UNHEALTHY)) {
                    String name = status.label();
                    out.fact(name, new TargetInfo(new Target(name, TargetType.WEBHOOK,
                            RedactedUrl.parse("http://127.0.0.1/"), true, Map.of(), "static", null)));
                    out.fact(name, new HealthFact(status, 0, 1.0, 10, 0, 0.1, 0.1, 0.1, null, null, null, null, null));
                }
            }
        };
        StatsConfiguration config = new StatsConfiguration();
        try (CollectorRegistry registry = new CollectorRegistry(List.of(facts), Duration.ofSeconds(1),
                Clock.defaultClock())) {
            StatsService stats = new StatsService(registry, config, new CollectionConfiguration());
            HealthScoreMetrics metrics = new HealthScoreMetrics(stats);
            assertThat(metrics.collect()).as("nothing before the first snapshot").isEmpty();

            Snapshot snapshot = registry.collect();
            metrics.published(snapshot);
            HealthScore.Report report = HealthScore.of(SnapshotStats.of(snapshot), config);

            Map<String, Double> values = values(metrics.collect());
            assertThat(values.get("tally_health_score")).isEqualTo(report.score()).isEqualTo(72.7);
            assertThat(values).containsEntry("tally_health_status{status=degraded}", 1.0)
                    .containsEntry("tally_health_status{status=healthy}", 0.0)
                    .containsEntry("tally_health_status{status=unhealthy}", 0.0)
                    .containsEntry("tally_health_status{status=unknown}", 0.0)
                    .containsEntry("tally_health_component_ratio{component=targets}", 0.5)
                    .containsEntry("tally_health_component_ratio{component=latency}", 1.0)
                    .containsEntry("tally_health_component_ratio{component=freshness}", 1.0);
            assertThat(values).as("components without data are absent, not 0")
                    .doesNotContainKeys("tally_health_component_ratio{component=publishing}",
                            "tally_health_component_ratio{component=queues}");
        }
    }

    private static Map<String, Double> values(List<MetricFamilySamples> families) {
        Map<String, Double> out = new HashMap<>();
        for (MetricFamilySamples family : families) {
            assertThat(family.type).isEqualTo(io.prometheus.client.Collector.Type.GAUGE);
            assertThat(family.help).isNotBlank();
            for (MetricFamilySamples.Sample s : family.samples) {
                StringBuilder key = new StringBuilder(s.name);
                for (int i = 0; i < s.labelNames.size(); i++) {
                    key.append(i == 0 ? "{" : ",").append(s.labelNames.get(i)).append('=').append(s.labelValues.get(i));
                }
                out.put(key + (s.labelNames.isEmpty() ? "" : "}"), s.value);
            }
        }
        return out;
    }
}
