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
                out.include(memo.get(state.get(), null, (s, unused, o) -> {
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
}
