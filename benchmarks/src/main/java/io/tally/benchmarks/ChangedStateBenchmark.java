package io.tally.benchmarks;

import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetCatalog;
import io.tally.collectors.core.catalog.TargetSet;
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
 * The worst case for collection: every state changed since the previous collection, so every part
 * is built again. Before each collection (outside the measured time) the target set is republished
 * with a changed label on every target (the prober swaps every target's health, discovery and the
 * queue mapping see a new target set), the queue source polls Redis and the publisher scrapes again.
 * Probing runs in the background at the default 30 s interval throughout.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChangedStateBenchmark {
    @Param({"100", "1000", "10000"})
    public int targets;

    /**
     * {@code all}: the target set, the queue source's poll and the publisher's scrape are all new;
     * {@code targets}: only the target set (health, discovery and the queue mapping are rebuilt, not
     * the queue and publisher readings), which keeps Redis and the scrape out of the picture;
     * {@code half}: every other target's label changes, so half the health parts are rebuilt (what a
     * scheduled collection finds at the default intervals: probes every 30 s, collections every 15 s);
     * {@code none}: nothing changes, but the collection still runs right after the per-invocation
     * setup, as the others do (the floor of this harness: cold caches, parked carrier threads).
     */
    @Param({"all", "targets", "half", "none"})
    public String change;

    private FiveFamilies families;
    private CollectorRegistry allFive;
    private TargetCatalog catalog;
    private final TargetSet[] generations = new TargetSet[2];
    private int generation;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        families = new FiveFamilies(targets, "30s");
        catalog = families.environment.targets();
        for (int g = 0; g < 2; g++) {
            List<Target> labelled = new ArrayList<>();
            for (Target t : catalog.current().targets()) {
                int index = labelled.size();
                String label = change.equals("half") && index % 2 == 1 ? "odd" : "g" + g;
                labelled.add(new Target(t.name(), t.type(), t.url(), t.enabled(), Map.of("generation", label),
                        t.source(), t.probe()));
            }
            generations[g] = new TargetSet(labelled, Instant.now());
        }
        allFive = families.allFive();
        changeEveryState();
        Snapshot before = allFive.collect();
        changeEveryState();
        Snapshot after = allFive.collect();
        List<String> rebuilt = switch (change) {
            case "all" -> List.of("tally_target_up", "tally_queue_depth", "tally_publisher_attempts",
                    "tally_discovery_targets");
            case "none" -> List.of();
            default -> List.of("tally_target_up", "tally_discovery_targets");
        };
        for (String family : rebuilt) {
            if (after.family(family) == null || after.family(family) == before.family(family)) {
                throw new IllegalStateException(family + " was not rebuilt: the benchmark would not measure a change");
            }
        }
        if (!change.equals("none") && after.targets() == before.targets()) {
            throw new IllegalStateException("the target index was not rebuilt");
        }
    }

    @Setup(Level.Invocation)
    public void changeEveryState() {
        if (change.equals("none")) {
            return;
        }
        generation ^= 1;
        catalog.publish(generations[generation]);
        if (change.equals("all")) {
            families.others.queueSource().pollIfIdle();
            families.others.publisherSource().scrapeIfIdle();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        families.close();
    }

    /** All five families in one collection through the registry, every part built again. */
    @Benchmark
    public Snapshot allFiveAfterEveryStateChanged() {
        return allFive.collect();
    }
}
