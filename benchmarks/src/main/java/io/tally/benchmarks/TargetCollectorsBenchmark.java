package io.tally.benchmarks;

import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.Snapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Collection from cached state: the five families of {@link FiveFamilies} over N probed targets,
 * then probing stopped so that only collection is measured and every state stays as it is (what a
 * collection between two probes of a target finds). {@link ChangedStateBenchmark} is the opposite
 * case.
 *
 * <p>{@code *Collect} benchmarks write into a sink that only consumes (the collector's own cost);
 * {@code allThroughRegistry} runs a whole collection of the three target families and
 * {@code allFiveFamiliesThroughRegistry} of all five (fan-out, parts, merge, snapshot, index).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TargetCollectorsBenchmark {
    @Param({"100", "1000", "10000"})
    public int targets;

    private FiveFamilies families;
    private Collector discovery;
    private Collector refresh;
    private Collector health;
    private CollectorRegistry registry;
    private CollectorRegistry allFive;
    private CollectionContext context;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        families = new FiveFamilies(targets, "2s");
        families.stopProbing(); // the states stay; only collection is measured
        discovery = families.discovery;
        refresh = families.refresh;
        health = families.health;
        registry = families.targetFamilies();
        allFive = families.allFive();
        allFive.collect();
        context = new CollectionContext(Instant.now(), Long.MAX_VALUE, families.environment.clock());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        families.close();
    }

    @Benchmark
    public void discoveryCollect(Blackhole bh) throws InterruptedException {
        discovery.collect(context, new ConsumingOutput(bh));
    }

    @Benchmark
    public void refreshCollect(Blackhole bh) throws InterruptedException {
        refresh.collect(context, new ConsumingOutput(bh));
    }

    @Benchmark
    public void healthCollect(Blackhole bh) throws InterruptedException {
        health.collect(context, new ConsumingOutput(bh));
    }

    @Benchmark
    public Snapshot allThroughRegistry() {
        return registry.collect();
    }

    /** All five built-in families (discovery, refresh, health, queue, publisher) in one collection. */
    @Benchmark
    public Snapshot allFiveFamiliesThroughRegistry() {
        return allFive.collect();
    }
}
