package io.tally.app.stats;

import com.codahale.metrics.Clock;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.CollectionOutput;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetFact;
import io.tally.collectors.core.catalog.TargetInfo;
import io.tally.collectors.core.catalog.TargetType;
import io.tally.collectors.core.workers.WorkerFact;
import io.tally.collectors.health.HealthFact;
import io.tally.collectors.health.HealthStatus;
import io.tally.collectors.publisher.PublisherFact;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The health score formula on hand-computed cases (docs/api.md#health-score). */
class HealthScoreTest {
    private static final MetricDescriptor DEPTH = MetricDescriptor.gauge("tally_queue_depth", "d", "",
            "source", "broker", "queue", "target", "priority", "role");
    private static final MetricDescriptor CAPACITY = MetricDescriptor.gauge("tally_queue_capacity", "c", "",
            "source", "broker", "queue", "target", "priority", "role");
    private static final MetricDescriptor VERDICT = MetricDescriptor.gauge("tally_queue_verdict", "v", "",
            "source", "broker", "queue", "target", "priority", "role", "verdict");

    private static Collector collector(String name, Consumer<CollectionOutput> body) {
        return new Collector() {
            public String name() {
                return name;
            }

            public boolean isAvailable() {
                return true;
            }

            public void collect(CollectionContext context, CollectionOutput out) {
                body.accept(out);
            }
        };
    }

    private static HealthFact health(HealthStatus status, double p95) {
        return new HealthFact(status, 0, 1.0, 10, 0, p95, p95, p95, null, null, null, null, null);
    }

    private static void target(CollectionOutput out, String name, TargetFact... facts) {
        out.fact(name, new TargetInfo(new Target(name, TargetType.WEBHOOK, RedactedUrl.parse("http://127.0.0.1/"),
                true, Map.of(), "static", null)));
        for (TargetFact f : facts) {
            out.fact(name, f);
        }
    }

    private static HealthScore.Report score(String statsYaml, List<Collector> collectors) throws Exception {
        ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());
        StatsConfiguration config = yaml.readValue(statsYaml, StatsConfiguration.class);
        try (CollectorRegistry registry = new CollectorRegistry(collectors, Duration.ofSeconds(1), Clock.defaultClock())) {
            return HealthScore.of(SnapshotStats.of(registry.collect()), config);
        }
    }

    @Test
    void everyComponentCounts() throws Exception {
        // publishing: 90 of 100 delivered = 0.9
        // targets: 2 healthy, 1 degraded, 1 unhealthy of 4 probed = (2 + 0.5) / 4 = 0.625
        // latency: p95 within 1 s for 3 of 4 = 0.75
        // queues: two queues, one stopped -> flowing 0.5; headroom 1 - 80/100 = 0.2 -> min = 0.2
        // freshness: 2 of 2 collectors ok = 1.0
        // score = 100 * (0.35*0.9 + 0.30*0.625 + 0.15*0.75 + 0.10*0.2 + 0.10*1) / 1.0 = 73.5 -> degraded
        List<Collector> collectors = new ArrayList<>();
        collectors.add(collector("facts", out -> {
            target(out, "a", health(HealthStatus.HEALTHY, 0.2),
                    new PublisherFact("am", 60, 5, null, Map.of("timeout", 5.0), null, null, null, null));
            target(out, "b", health(HealthStatus.HEALTHY, 0.5),
                    new PublisherFact("am", 40, 5, null, Map.of(), null, null, null, null));
            target(out, "c", health(HealthStatus.DEGRADED, 0.9));
            target(out, "d", health(HealthStatus.UNHEALTHY, 3.0));
            target(out, "e"); // never probed: not counted
        }));
        collectors.add(collector("queues", out -> {
            out.gauge(DEPTH, 80, "rabbit", "rabbitmq", "q1", "*", "high", "queue");
            out.gauge(CAPACITY, 100, "rabbit", "rabbitmq", "q1", "*", "high", "queue");
            out.gauge(VERDICT, 1, "rabbit", "rabbitmq", "q1", "*", "high", "queue", "ok");
            out.gauge(DEPTH, 5, "rabbit", "rabbitmq", "q2", "*", "", "queue");
            out.gauge(VERDICT, 1, "rabbit", "rabbitmq", "q2", "*", "", "queue", "stopped");
        }));

        HealthScore.Report report = score("latencyObjective: 1s", collectors);

        assertThat(report.components()).extracting(HealthScore.Component::value)
                .containsExactly(0.9, 0.625, 0.75, 0.2, 1.0, null);
        assertThat(report.score()).isEqualTo(73.5);
        assertThat(report.status()).isEqualTo("degraded");
        assertThat(report.reasons()).contains("1 of 4 targets unhealthy: d", "1 of 4 targets degraded: c",
                "1 targets over the 1.00 s latency objective: d", "queue rabbit/q2 is stopped (5 waiting)",
                "publishing success 90.0%: 10 of 100 notifications failed");
    }

    @Test
    void componentsWithoutDataAreLeftOutAndThresholdsAreConfigurable() throws Exception {
        // only targets (0/1 healthy = 0) and freshness (1.0) have data:
        // score = 100 * (0.30*0 + 0.10*1) / 0.40 = 25 -> unhealthy
        List<Collector> collectors = List.of(collector("facts", out -> target(out, "a",
                new HealthFact(HealthStatus.UNHEALTHY, 3, 0.0, 3, 3, null, null, null, null, null, "connect", "refused",
                        null))));
        HealthScore.Report report = score("{}", collectors);
        assertThat(report.score()).isEqualTo(25.0);
        assertThat(report.status()).isEqualTo("unhealthy");
        assertThat(report.components()).filteredOn(c -> c.value() == null).extracting(HealthScore.Component::name)
                .containsExactly("publishing", "latency", "queues", "workers");

        assertThat(score("{ healthyScore: 20, degradedScore: 10 }", collectors).status()).isEqualTo("healthy");
    }

    private static WorkerFact worker(String breaker, double dlqRecent) {
        return new WorkerFact("workers", Map.of("success", 10.0), null, null, null, null, Map.of(), breaker, null, null,
                null, Map.of("http_4xx", 5.0), Map.of(), dlqRecent);
    }

    @Test
    void anOpenBreakerOrAGrowingDeadLetterQueueLowersTheWorkersComponent() throws Exception {
        // workers: breakers: 1 open, 1 half-open, 2 closed of 4 -> 1 - (1 + 0.5) / 4 = 0.625;
        // DLQs: 1 of 4 grew -> 0.75; min = 0.625. With freshness 1.0 (1 collector):
        // score = 100 * (0.10*0.625 + 0.10*1) / 0.20 = 81.3 (rounded to one decimal: 81.25 -> 81.3)
        List<Collector> collectors = List.of(collector("facts", out -> {
            target(out, "a", worker("open", 0));
            target(out, "b", worker("half_open", 0));
            target(out, "c", worker("closed", 3));
            target(out, "d", worker("closed", 0));
        }));
        HealthScore.Report report = score("{}", collectors);
        HealthScore.Component workers = report.components().stream().filter(c -> c.name().equals("workers"))
                .findFirst().orElseThrow();
        assertThat(workers.value()).isEqualTo(0.625);
        assertThat(workers.detail()).isEqualTo("1 open and 1 half-open of 4 breakers; 1 of 4 dead-letter queues growing");
        assertThat(report.reasons()).contains("1 circuit breakers open: a",
                "1 dead-letter queues grew in the last 5 minutes: c (+3)");
        assertThat(report.score()).isBetween(81.2, 81.3);

        // All closed and nothing dead-lettered lately: the component is whole again.
        HealthScore.Report calm = score("{}", List.of(collector("facts", out -> target(out, "a", worker("closed", 0)))));
        assertThat(calm.components()).filteredOn(c -> c.name().equals("workers"))
                .extracting(HealthScore.Component::value).containsExactly(1.0);
    }

    /** A plug-in's family that happens to carry a queue or worker family's name is not read as one. */
    @Test
    void aSameNamedFamilyOfAnotherShapeReadsAsAbsent() throws Exception {
        MetricDescriptor foreignDepth = MetricDescriptor.gauge("tally_queue_depth", "a plug-in's own", "", "lane");
        MetricDescriptor foreignPool = MetricDescriptor.gauge("tally_workers", "a plug-in's own", "", "kind");
        try (CollectorRegistry registry = new CollectorRegistry(List.of(collector("plugin", out -> {
            out.gauge(foreignDepth, 7, "fast");
            out.gauge(foreignPool, 3, "busy");
        })), Duration.ofSeconds(1), Clock.defaultClock())) {
            SnapshotStats stats = SnapshotStats.of(registry.collect());
            assertThat(stats.queues()).isEmpty();
            assertThat(stats.workerPool()).isEmpty();
        }
    }
}
