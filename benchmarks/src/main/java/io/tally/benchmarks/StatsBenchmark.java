package io.tally.benchmarks;

import com.codahale.metrics.Clock;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.tally.app.stats.HealthScore;
import io.tally.app.stats.SnapshotStats;
import io.tally.app.stats.StatsConfiguration;
import io.tally.app.stats.StatsQuery;
import io.tally.app.stats.StatsViews;
import io.tally.app.trends.TrendAnalysis;
import io.tally.app.trends.TrendStore;
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
import io.tally.collectors.publisher.PublisherFact;
import io.tally.collectors.queue.QueueFact;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The JSON API's own cost at 1 000 and 10 000 targets, each with a health, a queue and a publisher
 * fact: computing a snapshot's figures and health score (once per snapshot), rendering a /stats
 * page and a /stats/{target} body to JSON bytes; and the trend store: appending one snapshot's
 * points for every target, and a 24 h query plus analysis of one series.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StatsBenchmark {
    private static final long START = 1_795_000_000_000L;

    @Param({"1000", "10000"})
    public int targets;

    private final ObjectMapper json = Jackson.newObjectMapper();
    private final StatsConfiguration config = new StatsConfiguration();
    private Snapshot snapshot;
    private SnapshotStats stats;
    private HealthScore.Report health;
    private StatsQuery firstPage;
    private TrendStore store;
    private Map<String, Double> snapshotPoints;
    private long nextTime;

    @Setup
    public void setUp() {
        Collector facts = new Collector() {
            public String name() {
                return "facts";
            }

            public boolean isAvailable() {
                return true;
            }

            public void collect(CollectionContext context, CollectionOutput out) {
                for (int i = 0; i < targets; i++) {
                    String name = "target-" + i;
                    out.fact(name, new TargetInfo(new Target(name, TargetType.WEBHOOK,
                            RedactedUrl.parse("https://hooks.example.test/services/T" + i + "/SECRET"), true,
                            Map.of("team", i % 2 == 0 ? "sre" : "web"), "static", null)));
                    out.fact(name, new HealthFact(i % 10 == 0 ? HealthStatus.DEGRADED : HealthStatus.HEALTHY, 0, 0.99, 100,
                            1, 0.1, 0.08, 0.2, Instant.now(), Instant.now(), null, null, null));
                    out.fact(name, new QueueFact("rabbit", "rabbitmq", "q" + i, "queue", "high", i % 7, 1, 0L, 100L, 0.01,
                            "ok", 0.0));
                    out.fact(name, new PublisherFact("am", 100 + i, i % 3, null, Map.of("timeout", (double) (i % 3)),
                            0.5, 0.0, 0.2, 0.4));
                }
            }
        };
        try (CollectorRegistry registry = new CollectorRegistry(List.of(facts), Duration.ofSeconds(30),
                Clock.defaultClock())) {
            snapshot = registry.collect();
        }
        stats = SnapshotStats.of(snapshot);
        health = HealthScore.of(stats, config);
        firstPage = StatsQuery.parse(null, null, null, null, List.of(), null, null);

        store = new TrendStore(10 * targets + 100);
        snapshotPoints = new HashMap<>();
        for (int i = 0; i < targets; i++) {
            snapshotPoints.put("target:target-" + i + ":success_ratio", 0.99);
            snapshotPoints.put("target:target-" + i + ":latency_p95_seconds", 0.2 + (i % 5) * 0.01);
            snapshotPoints.put("target:target-" + i + ":queue_depth", (double) (i % 7));
        }
        for (int i = 0; i < 5760; i++) { // 24 h at 15 s for the queried series
            store.append(START + i * 15_000L, Map.of("system:success_ratio", 0.99 - (i % 100) * 0.0001));
        }
        nextTime = START + 5760 * 15_000L;
    }

    @Benchmark
    public HealthScore.Report figuresAndScorePerSnapshot() {
        return HealthScore.of(SnapshotStats.of(snapshot), config);
    }

    @Benchmark
    public byte[] statsFirstPage() throws Exception {
        return json.writeValueAsBytes(StatsViews.stats(stats, health, firstPage, snapshot.collectedTick()));
    }

    @Benchmark
    public byte[] statsTarget() throws Exception {
        return json.writeValueAsBytes(StatsViews.detail(stats.target("target-" + (targets / 2)), Map.of()));
    }

    @Benchmark
    public void trendAppendOneSnapshot() {
        nextTime += 15_000;
        store.append(nextTime, snapshotPoints);
    }

    @Benchmark
    public TrendAnalysis.Result trendQuery24h() {
        TrendStore.Points points = store.read("system:success_ratio", START, START + 86_400_000L);
        // what /trends does for a 24 h window: 240 buckets, then the analysis
        TrendStore.Points buckets = points.bucketed(86_400_000L / 240);
        return TrendAnalysis.analyze(buckets.times(), buckets.values(), 86_400_000L);
    }
}
