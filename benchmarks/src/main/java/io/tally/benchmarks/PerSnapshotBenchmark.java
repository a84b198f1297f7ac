package io.tally.benchmarks;

import com.codahale.metrics.Clock;
import com.codahale.metrics.MetricRegistry;
import io.tally.app.exposition.ExpositionFormat;
import io.tally.app.exposition.ExpositionRenderer;
import io.tally.app.metrics.SnapshotMetricsBridge;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.target.Target;
import io.tally.collectors.core.target.TargetCatalog;
import io.tally.collectors.core.target.TargetSet;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Work done once per snapshot over the five families of {@link FiveFamilies}: the metrics bridge
 * (every series into the app's MetricRegistry, vanished ones removed) and the {@code /metrics} text
 * of the snapshot part (rendered on the first scrape of each snapshot). Snapshots
 * are published alternately: with {@code changed=false} two successive collections from cached
 * state (they share every family but the engine's own), with {@code changed=true} a collection
 * before and one after every target's state changed (health, discovery and queue families are new
 * objects), which is what every snapshot cost before families kept their identity.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PerSnapshotBenchmark {
    @Param({"1000", "10000"})
    public int targets;

    @Param({"false", "true"})
    public boolean changed;

    private FiveFamilies families;
    private SnapshotMetricsBridge bridge;
    private ExpositionRenderer renderer;
    private final Snapshot[] alternate = new Snapshot[2];
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        families = new FiveFamilies(targets, "30s");
        CollectorRegistry registry = families.allFive();
        Snapshot before = registry.collect();
        TargetCatalog catalog = families.environment.targets();
        List<Target> labelled = new ArrayList<>();
        for (Target t : catalog.current().targets()) {
            labelled.add(new Target(t.name(), t.type(), t.url(), t.enabled(), Map.of("generation", "1"), t.source(),
                    t.probe()));
        }
        catalog.publish(new TargetSet(labelled, Instant.now()));
        Snapshot after = registry.collect();
        families.stopProbing(); // from here on the states stay as they are
        Snapshot cached = registry.collect();
        Snapshot cachedAgain = registry.collect();
        if (cachedAgain.family("tally_target_up") != cached.family("tally_target_up")
                || after.family("tally_target_up") == before.family("tally_target_up")) {
            throw new IllegalStateException("snapshots do not share (or differ in) families as the benchmark assumes");
        }
        alternate[0] = changed ? before : cached;
        alternate[1] = changed ? after : cachedAgain;
        bridge = new SnapshotMetricsBridge(new MetricRegistry());
        bridge.published(alternate[0]);
        renderer = new ExpositionRenderer(new io.prometheus.client.CollectorRegistry(), Clock.defaultClock());
        renderer.snapshotPart(alternate[0], ExpositionFormat.PROMETHEUS_TEXT);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        families.close();
    }

    @Benchmark
    public int bridgeNextSnapshot() {
        next ^= 1;
        bridge.published(alternate[next]);
        return bridge.size();
    }

    /** The snapshots alternate, so each call is the first render of a snapshot other than the last one. */
    @Benchmark
    public byte[][] renderNextSnapshot() {
        next ^= 1;
        return renderer.snapshotPart(alternate[next], ExpositionFormat.PROMETHEUS_TEXT);
    }
}
