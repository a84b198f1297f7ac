package io.tally.benchmarks;

import com.codahale.metrics.MetricRegistry;
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
 * The metrics bridge's work per snapshot (every series of the snapshot into the app's
 * MetricRegistry, vanished ones removed) over the five families of {@link FiveFamilies}. Snapshots
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
public class BridgeBenchmark {
    @Param({"1000", "10000"})
    public int targets;

    @Param({"false", "true"})
    public boolean changed;

    private FiveFamilies families;
    private SnapshotMetricsBridge bridge;
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
}
