package io.tally.app.metrics;

import com.codahale.metrics.Clock;
import com.codahale.metrics.MetricRegistry;
import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.CollectionOutput;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.MetricDescriptor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotMetricsBridgeTest {
    private static final MetricDescriptor UP = MetricDescriptor.gauge("test_up", "Up.", "", "target");

    @Test
    void everySeriesIsInTheMetricRegistryAndVanishedOnesAreRemoved() {
        List<String> targets = new CopyOnWriteArrayList<>(List.of("a", "b"));
        Collector collector = new Collector() {
            public String name() {
                return "targets";
            }

            public boolean isAvailable() {
                return true;
            }

            public void collect(CollectionContext context, CollectionOutput out) {
                for (String t : targets) {
                    out.gauge(UP, 1, t);
                }
            }
        };
        MetricRegistry metrics = new MetricRegistry();
        SnapshotMetricsBridge bridge = new SnapshotMetricsBridge(metrics);
        try (CollectorRegistry registry = new CollectorRegistry(List.of(collector), Duration.ofSeconds(1),
                Clock.defaultClock())) {
            registry.addListener(bridge);
            registry.collect();
            assertThat(metrics.getGauges()).containsKeys("test_up{target=\"a\"}", "test_up{target=\"b\"}",
                    "tally_collections_total", "tally_collector_errors_total{collector=\"targets\"}",
                    "tally_collection_duration_seconds");
            assertThat(metrics.getGauges().get("test_up{target=\"a\"}").getValue()).isEqualTo(1.0);
            assertThat(metrics.getGauges().get("tally_collection_duration_seconds").getValue())
                    .isInstanceOfSatisfying(HistogramValue.class, h -> assertThat(h.count()).isEqualTo(1));

            targets.remove("b");
            registry.collect();
            assertThat(metrics.getGauges()).containsKey("test_up{target=\"a\"}")
                    .doesNotContainKey("test_up{target=\"b\"}");
            assertThat(metrics.getGauges().get("tally_collections_total").getValue()).isEqualTo(2.0);
            for (String name : metrics.getNames()) {
                assertThat(SeriesName.decode(name).family()).startsWith(name.contains("{") ? name.substring(0,
                        name.indexOf('{')) : name);
            }
        }
    }

    record State(double value) {
    }

    @Test
    void aReusedFamilyKeepsItsSeriesAndAChangedOneIsUpdated() {
        java.util.concurrent.atomic.AtomicReference<State> state = new java.util.concurrent.atomic.AtomicReference<>(
                new State(1));
        io.tally.collectors.core.FragmentMemo memo = new io.tally.collectors.core.FragmentMemo();
        Collector collector = new Collector() {
            public String name() {
                return "memo";
            }

            public boolean isAvailable() {
                return true;
            }

            public void collect(CollectionContext context, CollectionOutput out) {
                out.include(memo.get(state.get(), (s, o) -> {
                    if (s.value() < 0) {
                        return; // the family vanishes
                    }
                    o.gauge(UP, s.value(), "a");
                    if (s.value() < 2) {
                        o.gauge(UP, s.value(), "b");
                    }
                }));
            }
        };
        MetricRegistry metrics = new MetricRegistry();
        SnapshotMetricsBridge bridge = new SnapshotMetricsBridge(metrics);
        try (CollectorRegistry registry = new CollectorRegistry(List.of(collector), Duration.ofSeconds(1),
                Clock.defaultClock())) {
            registry.addListener(bridge);
            var first = registry.collect();
            var second = registry.collect();
            assertThat(second.family("test_up")).isSameAs(first.family("test_up"));
            assertThat(metrics.getGauges().get("test_up{target=\"a\"}").getValue()).isEqualTo(1.0);
            assertThat(metrics.getGauges()).containsKey("test_up{target=\"b\"}");
            assertThat(metrics.getGauges().get("tally_collections_total").getValue()).isEqualTo(2.0);

            state.set(new State(3));
            registry.collect();
            assertThat(metrics.getGauges().get("test_up{target=\"a\"}").getValue()).isEqualTo(3.0);
            assertThat(metrics.getGauges()).doesNotContainKey("test_up{target=\"b\"}");
            registry.collect();
            assertThat(metrics.getGauges().get("test_up{target=\"a\"}").getValue()).isEqualTo(3.0);

            state.set(new State(-1));
            registry.collect();
            assertThat(metrics.getGauges().keySet()).noneMatch(name -> name.startsWith("test_up"));
            assertThat(metrics.getGauges()).containsKey("tally_collections_total");
        }
    }

    private static io.tally.collectors.core.Snapshot snapshot(long sequence, io.tally.collectors.core.MetricFamily... families) {
        return new io.tally.collectors.core.Snapshot(sequence, java.time.Instant.now(), 0, Duration.ZERO, List.of(),
                List.of(families), io.tally.collectors.core.TargetIndex.EMPTY);
    }

    /**
     * A changed family keeps the gauge of every series it still has, wherever the series moved,
     * updates only what changed, and drops what vanished.
     */
    @Test
    void aChangedFamilyKeepsTheGaugesOfItsSeriesWhereverTheyMoved() {
        MetricDescriptor latency = MetricDescriptor.histogram("test_latency_seconds", "Latency.", "seconds",
                new double[] {0.1, 1.0}, "target");
        MetricRegistry metrics = new MetricRegistry();
        SnapshotMetricsBridge bridge = new SnapshotMetricsBridge(metrics);
        var a = new io.tally.collectors.core.Sample(List.of("a"), 1);
        var c = new io.tally.collectors.core.Sample(List.of("c"), 3);
        var hb = new io.tally.collectors.core.HistogramSample(List.of("b"), new long[] {1, 2, 2}, 0.5);
        bridge.published(snapshot(1, new io.tally.collectors.core.MetricFamily(UP, List.of(a,
                        new io.tally.collectors.core.Sample(List.of("b"), 2), c), List.of()),
                new io.tally.collectors.core.MetricFamily(latency, List.of(), List.of(hb))));
        var gaugeB = metrics.getGauges().get("test_up{target=\"b\"}");
        var gaugeC = metrics.getGauges().get("test_up{target=\"c\"}");
        var histogramB = metrics.getGauges().get("test_latency_seconds{target=\"b\"}");
        Object histogramValue = histogramB.getValue();

        // a vanished, b moved and changed, c moved as the same object, d is new; the histogram is
        // an equal copy.
        bridge.published(snapshot(2, new io.tally.collectors.core.MetricFamily(UP, List.of(
                        new io.tally.collectors.core.Sample(List.of("d"), 4), c,
                        new io.tally.collectors.core.Sample(List.of("b"), 5)), List.of()),
                new io.tally.collectors.core.MetricFamily(latency, List.of(),
                        List.of(new io.tally.collectors.core.HistogramSample(List.of("b"), new long[] {1, 2, 2}, 0.5)))));

        assertThat(metrics.getGauges()).doesNotContainKey("test_up{target=\"a\"}");
        assertThat(metrics.getGauges().get("test_up{target=\"b\"}")).isSameAs(gaugeB);
        assertThat(gaugeB.getValue()).isEqualTo(5.0);
        assertThat(metrics.getGauges().get("test_up{target=\"c\"}")).isSameAs(gaugeC);
        assertThat(gaugeC.getValue()).isEqualTo(3.0);
        assertThat(metrics.getGauges().get("test_up{target=\"d\"}").getValue()).isEqualTo(4.0);
        assertThat(histogramB.getValue()).isSameAs(histogramValue);
        assertThat(bridge.size()).isEqualTo(4);

        bridge.published(snapshot(3, new io.tally.collectors.core.MetricFamily(UP, List.of(
                        new io.tally.collectors.core.Sample(List.of("b"), 6)), List.of()),
                new io.tally.collectors.core.MetricFamily(latency, List.of(),
                        List.of(new io.tally.collectors.core.HistogramSample(List.of("b"), new long[] {1, 3, 4}, 2.5)))));
        assertThat(metrics.getGauges().get("test_up{target=\"b\"}")).isSameAs(gaugeB);
        assertThat(gaugeB.getValue()).isEqualTo(6.0);
        assertThat(metrics.getGauges()).doesNotContainKeys("test_up{target=\"c\"}", "test_up{target=\"d\"}");
        assertThat(histogramB.getValue()).isInstanceOfSatisfying(HistogramValue.class, h -> {
            assertThat(h.count()).isEqualTo(4);
            assertThat(h.buckets()).containsEntry("1.0", 3L);
        });
    }
}
