package io.tally.app.stats;

import io.tally.collectors.core.CollectorOutcome;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.OutcomeStatus;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.workers.WorkerFact;
import io.tally.collectors.core.workers.WorkerMetrics;
import io.tally.collectors.discovery.InvalidEntryFact;
import io.tally.collectors.health.HealthStatus;
import io.tally.collectors.publisher.PublisherFact;
import io.tally.collectors.queue.QueueMetrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The system-wide figures of one snapshot, computed once and shared by {@code /stats},
 * {@code /health} and the trend recorder, so that they never disagree. Queue totals come from the
 * snapshot's queue series (each queue once, whatever it is mapped to), found by the queue family's
 * descriptors rather than by names written here; target and publishing figures from the per-target
 * facts.
 */
public final class SnapshotStats {
    private final Snapshot snapshot;
    private final List<TargetView> targets = new ArrayList<>();
    private final Map<String, TargetView> byName = new LinkedHashMap<>();
    /** Filtered and sorted target lists by query: they only change with the snapshot. */
    private final Map<String, List<TargetView>> matching = new java.util.concurrent.ConcurrentHashMap<>();

    private final double attempts;
    private final double failures;
    private final Double publishingLatencyP95;
    private final Map<String, Integer> byStatus = new LinkedHashMap<>();
    private final Map<String, Integer> byType = new TreeMap<>();
    private final long enabled;
    private final List<QueueLine> queues;
    private final List<InvalidEntryFact> refused = new ArrayList<>();
    private final Map<String, Integer> refusedByKind = new TreeMap<>();
    private final WorkerTotals workers = new WorkerTotals();
    /** Names whose worst reported breaker is open, in name order. */
    private final List<String> openBreakers = new ArrayList<>();
    private final Map<String, Integer> breakers = new LinkedHashMap<>();
    /** Names whose DLQ grew over the recent window, with by how much. */
    private final Map<String, Double> growingDlqs = new LinkedHashMap<>();
    private int workerTargets;

    /** Everything system-wide is summed here, once per snapshot, not on every request. */
    private SnapshotStats(Snapshot snapshot) {
        this.snapshot = snapshot;
        double attempted = 0;
        double failed = 0;
        Double worstP95 = null;
        for (HealthStatus status : HealthStatus.values()) {
            byStatus.put(status.label(), 0);
        }
        long enabledCount = 0;
        for (String name : snapshot.targets().targets()) {
            TargetView view = TargetView.of(snapshot.targets(), name);
            byName.put(name, view);
            for (InvalidEntryFact entry : view.refused()) {
                refused.add(entry);
                refusedByKind.merge(entry.kind(), 1, Integer::sum);
            }
            if (!view.workers().isEmpty()) {
                workerTargets++;
                view.workers().forEach(workers::add);
                WorkerTotals own = view.workerTotals();
                if (own.breaker() != null) {
                    breakers.merge(own.breaker().label(), 1, Integer::sum);
                    if (own.breaker() == io.tally.collectors.core.workers.BreakerState.OPEN) {
                        openBreakers.add(name);
                    }
                }
                if (own.dlqWritesRecent() != null && own.dlqWritesRecent() > 0) {
                    growingDlqs.put(name, own.dlqWritesRecent());
                }
            }
            for (PublisherFact fact : view.publishing()) {
                attempted += fact.attempts();
                failed += fact.failures();
                if (fact.latencyP95Seconds() != null && (worstP95 == null || fact.latencyP95Seconds() > worstP95)) {
                    worstP95 = fact.latencyP95Seconds();
                }
            }
            if (view.target() != null) {
                targets.add(view);
                byStatus.merge(view.status().label(), 1, Integer::sum);
                byType.merge(view.target().type().label(), 1, Integer::sum);
                enabledCount += view.target().enabled() ? 1 : 0;
            }
        }
        this.attempts = attempted;
        this.failures = failed;
        this.publishingLatencyP95 = worstP95;
        this.enabled = enabledCount;
        this.queues = readQueues();
    }

    public static SnapshotStats of(Snapshot snapshot) {
        return new SnapshotStats(snapshot);
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** Discovered targets (with their joined facts), in name order. */
    public List<TargetView> targets() {
        return targets;
    }

    /** The targets a query selects, in its order; computed once per snapshot and query (at most 256 kept). */
    List<TargetView> matching(StatsQuery query) {
        String key = query.selectionKey();
        List<TargetView> cached = matching.get(key);
        if (cached == null) {
            cached = targets.stream().filter(query::matches).sorted(query.order()).toList();
            if (matching.size() < 256) {
                matching.put(key, cached);
            }
        }
        return cached;
    }

    /** Any name a collector reported facts for, discovered or not (e.g. an unmapped integration). */
    public TargetView target(String name) {
        return byName.get(name);
    }

    public Map<String, Integer> byStatus() {
        return java.util.Collections.unmodifiableMap(byStatus);
    }

    public Map<String, Integer> byType() {
        return java.util.Collections.unmodifiableMap(byType);
    }

    public long enabled() {
        return enabled;
    }

    /** Entries discovery refused, by entry name (the order of the index), then source order. */
    public List<InvalidEntryFact> refused() {
        return java.util.Collections.unmodifiableList(refused);
    }

    public Map<String, Integer> refusedByKind() {
        return java.util.Collections.unmodifiableMap(refusedByKind);
    }

    // Publishing, summed over every publisher fact of every name.

    public double attempts() {
        return attempts;
    }

    public double failures() {
        return failures;
    }

    public Double publishingSuccessRatio() {
        double attempts = attempts();
        return attempts > 0 ? Math.max(0, 1 - failures() / attempts) : null;
    }

    /** The worst target's publisher-measured p95 latency. */
    public Double publishingLatencyP95Seconds() {
        return publishingLatencyP95;
    }

    // Queues, from the queue series: one entry per (source, queue).

    public record QueueLine(String source, String queue, String priority, String role, double depth, Double capacity,
                            String verdict) {
    }

    public List<QueueLine> queues() {
        return queues;
    }

    /**
     * Each queue once, whatever it is mapped to (a "*" queue has series even while there is no target
     * to join its facts to), read from the queue families the queue family declares, by label name (not
     * position), with its capacity and current verdict where there are series for them.
     */
    private List<QueueLine> readQueues() {
        MetricFamily depth = own(QueueMetrics.DEPTH);
        if (depth == null) {
            return List.of();
        }
        Map<String, Double> capacity = new LinkedHashMap<>();
        MetricFamily capacities = own(QueueMetrics.CAPACITY);
        if (capacities != null) {
            for (Sample s : capacities.samples()) {
                capacity.put(key(capacities, s), s.value());
            }
        }
        Map<String, String> verdicts = new LinkedHashMap<>();
        MetricFamily verdict = own(QueueMetrics.VERDICT);
        if (verdict != null) {
            int verdictLabel = labelIndex(verdict, "verdict");
            for (Sample s : verdict.samples()) {
                if (s.value() == 1) {
                    verdicts.put(key(verdict, s), s.labelValues().get(verdictLabel));
                }
            }
        }
        Map<String, QueueLine> unique = new LinkedHashMap<>();
        for (Sample s : depth.samples()) {
            String key = key(depth, s);
            unique.putIfAbsent(key, new QueueLine(label(depth, s, "source"), label(depth, s, "queue"),
                    label(depth, s, "priority"), label(depth, s, "role"), s.value(), capacity.get(key),
                    verdicts.get(key)));
        }
        return List.copyOf(unique.values());
    }

    /**
     * The family a view reads, only when it has the shape its own collector declares: a plug-in or a
     * publisher passthrough may serve a family of that name with other labels (when no queue or
     * worker collector runs, nothing else claims the name), and such a family is not what the view
     * means, so it reads as absent rather than failing every request.
     */
    private MetricFamily own(MetricDescriptor descriptor) {
        MetricFamily family = snapshot.family(descriptor.name());
        return family != null && family.descriptor().sameShape(descriptor) ? family : null;
    }

    /** A queue's identity across the queue families: its source and name. */
    private static String key(MetricFamily family, Sample sample) {
        return label(family, sample, "source") + "\u0000" + label(family, sample, "queue");
    }

    private static String label(MetricFamily family, Sample sample, String name) {
        return sample.labelValues().get(labelIndex(family, name));
    }

    /** A renamed label fails loudly here rather than reading as an empty view. */
    private static int labelIndex(MetricFamily family, String name) {
        int index = family.descriptor().labelNames().indexOf(name);
        if (index < 0) {
            throw new IllegalStateException(family.descriptor() + " has no label " + name);
        }
        return index;
    }

    // Publishing workers: per-target facts summed, pool and submissions from their series.

    /** Every source's worker figures over every target. */
    public WorkerTotals workers() {
        return workers;
    }

    /** Names (targets) that some source reports worker figures for. */
    public int workerTargets() {
        return workerTargets;
    }

    public List<String> openBreakers() {
        return java.util.Collections.unmodifiableList(openBreakers);
    }

    public Map<String, Double> growingDlqs() {
        return java.util.Collections.unmodifiableMap(growingDlqs);
    }

    /** Targets by their worst reported breaker state. */
    public Map<String, Integer> breakers() {
        return java.util.Collections.unmodifiableMap(breakers);
    }

    /** Workers by state (active, idle) summed over sources; empty when no source reports its pool. */
    public Map<String, Double> workerPool() {
        Map<String, Double> out = new TreeMap<>();
        MetricFamily pool = own(WorkerMetrics.WORKERS);
        if (pool != null) {
            for (Sample s : pool.samples()) {
                out.merge(label(pool, s, "state"), s.value(), Double::sum);
            }
        }
        return out;
    }

    /** Submissions by priority, then result, summed over sources. */
    public Map<String, Map<String, Double>> submissions() {
        Map<String, Map<String, Double>> out = new TreeMap<>();
        MetricFamily family = own(WorkerMetrics.SUBMISSIONS);
        if (family != null) {
            for (Sample s : family.samples()) {
                out.computeIfAbsent(label(family, s, "priority"), k -> new TreeMap<>())
                        .merge(label(family, s, "result"), s.value(), Double::sum);
            }
        }
        return out;
    }

    public List<CollectorOutcome> outcomes() {
        return snapshot.outcomes();
    }

    public long freshCollectors() {
        return snapshot.outcomes().stream().filter(o -> o.status() == OutcomeStatus.OK && !o.stale()).count();
    }
}
