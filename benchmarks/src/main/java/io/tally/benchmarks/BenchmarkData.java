package io.tally.benchmarks;

import com.codahale.metrics.Clock;
import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.CollectionOutput;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.Snapshot;

import java.time.Duration;
import java.util.List;

/** Snapshots shaped like Tally's own: ten families, per-target series with two labels. */
final class BenchmarkData {
    static final int FAMILIES = 10;

    private BenchmarkData() {
    }

    /** A collector writing {@code series} gauges spread over {@link #FAMILIES} families. */
    static Collector targets(String name, int series) {
        MetricDescriptor[] families = new MetricDescriptor[FAMILIES];
        for (int f = 0; f < FAMILIES; f++) {
            families[f] = MetricDescriptor.gauge("bench_family_" + f + "_seconds", "Benchmark family " + f + ".",
                    "seconds", "target", "type");
        }
        int perFamily = Math.max(1, series / FAMILIES);
        String[] targets = new String[perFamily];
        for (int t = 0; t < perFamily; t++) {
            targets[t] = "target-" + t + ".example";
        }
        return new Collector() {
            public String name() {
                return name;
            }

            public boolean isAvailable() {
                return true;
            }

            public void collect(CollectionContext context, CollectionOutput out) {
                for (int f = 0; f < FAMILIES; f++) {
                    for (int t = 0; t < perFamily; t++) {
                        out.gauge(families[f], t * 0.001 + f, targets[t], "webhook");
                    }
                }
            }
        };
    }

    static Snapshot snapshot(int series) {
        try (CollectorRegistry registry = new CollectorRegistry(List.of(targets("bench", series)),
                Duration.ofSeconds(30), Clock.defaultClock())) {
            return registry.collect();
        }
    }
}
