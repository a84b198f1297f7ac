package io.tally.benchmarks;

import com.codahale.metrics.Clock;
import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.CollectionOutput;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.Snapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One whole collection: fan-out to five trivial collectors on virtual threads, wait, merge, build
 * the snapshot with the engine's self-metrics. What is left is the engine's own cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CollectorRegistryBenchmark {
    private static final MetricDescriptor VALUE = MetricDescriptor.gauge("bench_value", "A value.", "", "collector");

    private CollectorRegistry registry;

    @Setup
    public void setUp() {
        List<Collector> collectors = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "trivial-" + i;
            collectors.add(new Collector() {
                public String name() {
                    return name;
                }

                public boolean isAvailable() {
                    return true;
                }

                public void collect(CollectionContext context, CollectionOutput out) {
                    out.gauge(VALUE, 1, name);
                }
            });
        }
        registry = new CollectorRegistry(collectors, Duration.ofMillis(250), Clock.defaultClock());
    }

    @TearDown
    public void tearDown() {
        registry.close();
    }

    @Benchmark
    public Snapshot fanOutFiveTrivialCollectors() {
        return registry.collect();
    }
}
