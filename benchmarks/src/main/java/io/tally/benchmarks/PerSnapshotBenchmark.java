package io.tally.benchmarks;

import com.codahale.metrics.Clock;
import com.codahale.metrics.MetricRegistry;
import io.tally.app.exposition.ExpositionFormat;
import io.tally.app.exposition.ExpositionRenderer;
import io.tally.app.exposition.SnapshotPart;
import io.tally.app.metrics.SnapshotMetricsBridge;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.HistogramSample;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Work done once per snapshot over the five families of {@link FiveFamilies}: the metrics bridge
 * (every series into the app's MetricRegistry, vanished ones removed) and the {@code /metrics} text
 * of the snapshot part (rendered on the first scrape of each snapshot). Two snapshots are published
 * alternately. With {@code changedPercent=0} they are two successive collections from cached state
 * (they share every family but the engine's own). Otherwise the second is the first with that share
 * of every family's series changed in value (every family a new object, the other series the same
 * objects, as when that share of targets was probed between two collections); at 100 every series
 * of every family changed.
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

    @Param({"0", "10", "100"})
    public int changedPercent;

    private FiveFamilies families;
    private SnapshotMetricsBridge bridge;
    private ExpositionRenderer renderer;
    private final Snapshot[] alternate = new Snapshot[2];
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        families = new FiveFamilies(targets, "30s");
        CollectorRegistry registry = families.allFive();
        registry.collect();
        families.stopProbing(); // from here on the states stay as they are
        Snapshot cached = registry.collect();
        Snapshot cachedAgain = registry.collect();
        if (cachedAgain.family("tally_target_up") != cached.family("tally_target_up")) {
            throw new IllegalStateException("snapshots do not share families as the benchmark assumes");
        }
        alternate[0] = cached;
        alternate[1] = changedPercent == 0 ? cachedAgain : changed(cached, changedPercent);
        bridge = new SnapshotMetricsBridge(new MetricRegistry());
        bridge.published(alternate[0]);
        renderer = new ExpositionRenderer(new io.prometheus.client.CollectorRegistry(), Clock.defaultClock());
        renderer.snapshotPart(alternate[0], ExpositionFormat.PROMETHEUS_TEXT);
    }

    /** {@code snapshot} with every {@code 100/percent}-th series of each family changed in value. */
    static Snapshot changed(Snapshot snapshot, int percent) {
        int every = 100 / percent;
        List<MetricFamily> changed = new ArrayList<>();
        for (MetricFamily f : snapshot.families()) {
            List<Sample> samples = new ArrayList<>(f.samples());
            for (int i = 0; i < samples.size(); i += every) {
                samples.set(i, new Sample(samples.get(i).labelValues(), samples.get(i).value() + 1));
            }
            List<HistogramSample> histograms = new ArrayList<>(f.histograms());
            for (int i = 0; i < histograms.size(); i += every) {
                HistogramSample h = histograms.get(i);
                long[] counts = new long[h.buckets()];
                for (int b = 0; b < counts.length; b++) {
                    counts[b] = h.bucket(b) + 1;
                }
                histograms.set(i, new HistogramSample(h.labelValues(), counts, h.sum() + 0.25));
            }
            changed.add(new MetricFamily(f.descriptor(), samples, histograms));
        }
        return new Snapshot(snapshot.sequence() + 1_000, snapshot.collectedAt(), snapshot.collectedTick(),
                snapshot.duration(), snapshot.outcomes(), changed, snapshot.targets());
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
    public SnapshotPart renderNextSnapshot() {
        next ^= 1;
        return renderer.snapshotPart(alternate[next], ExpositionFormat.PROMETHEUS_TEXT);
    }
}
