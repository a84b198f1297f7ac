package io.tally.collectors.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The registry's own metrics, written into every snapshot as if by one more collector. */
final class EngineMetrics {
    static final double[] DURATION_BUCKETS = {
        0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
        0.1, 0.25, 0.5, 1, 2.5
    };

    static final MetricDescriptor COLLECTION_DURATION = MetricDescriptor.histogram(
            "tally_collection_duration_seconds", "Wall time of one whole collection across all collectors.",
            "seconds", DURATION_BUCKETS);
    static final MetricDescriptor COLLECTIONS = MetricDescriptor.counter(
            "tally_collections", "Collections run since start.", "");
    static final MetricDescriptor OVERRUNS = MetricDescriptor.counter(
            "tally_collection_overruns", "Collections whose wall time, merging included, passed the deadline by more "
                    + "than 10 ms; counted from the snapshot after the one that overran.", "");
    /** What the engine allows itself past the deadline to merge and publish. */
    static final long OVERRUN_SLACK_NANOS = 10_000_000L;
    static final MetricDescriptor SNAPSHOT_TIMESTAMP = MetricDescriptor.gauge(
            "tally_snapshot_timestamp_seconds", "When the latest snapshot was collected, as a Unix time.", "seconds");
    static final MetricDescriptor COLLECTOR_DURATION = MetricDescriptor.gauge(
            "tally_collector_duration_seconds", "How long the collector took in the latest collection.",
            "seconds", "collector");
    static final MetricDescriptor COLLECTOR_ERRORS = MetricDescriptor.counter(
            "tally_collector_errors", "Collections in which the collector threw.", "", "collector");
    static final MetricDescriptor COLLECTOR_TIMEOUTS = MetricDescriptor.counter(
            "tally_collector_timeouts", "Collections in which the collector overran the deadline.", "", "collector");
    static final MetricDescriptor COLLECTOR_STATUS = MetricDescriptor.gauge(
            "tally_collector_status", "The collector's outcome in the latest collection: 1 for the current status.",
            "", "collector", "status");
    static final MetricDescriptor COLLECTOR_STALE = MetricDescriptor.gauge(
            "tally_collector_stale", "1 when the collector's data in the snapshot was carried over from an earlier collection.",
            "", "collector");
    static final MetricDescriptor COLLECTOR_DATA_AGE = MetricDescriptor.gauge(
            "tally_collector_data_age_seconds", "Age of the collector's data at the time of the snapshot.",
            "seconds", "collector");

    private static final java.util.Set<String> NAMES = java.util.Set.of(COLLECTION_DURATION.name(), COLLECTIONS.name(),
            OVERRUNS.name(), SNAPSHOT_TIMESTAMP.name(), COLLECTOR_DURATION.name(), COLLECTOR_ERRORS.name(), COLLECTOR_TIMEOUTS.name(),
            COLLECTOR_STATUS.name(), COLLECTOR_STALE.name(), COLLECTOR_DATA_AGE.name());

    private final BucketHistogram collectionDuration = new BucketHistogram(COLLECTION_DURATION);
    private final LongAdder collections = new LongAdder();
    private final LongAdder overruns = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> timeouts = new ConcurrentHashMap<>();

    /** True for the names of the engine's own families, which no collector may declare. */
    static boolean owns(String family) {
        return NAMES.contains(family);
    }

    void record(List<CollectorOutcome> outcomes, double durationSeconds) {
        collections.increment();
        collectionDuration.observe(durationSeconds);
        for (CollectorOutcome outcome : outcomes) {
            if (outcome.status() == OutcomeStatus.ERROR) {
                errors.computeIfAbsent(outcome.collector(), c -> new LongAdder()).increment();
            } else if (outcome.status() == OutcomeStatus.TIMEOUT) {
                timeouts.computeIfAbsent(outcome.collector(), c -> new LongAdder()).increment();
            }
        }
    }

    /** Called once the snapshot is built, with the collection's whole wall time. */
    void finished(long wallNanos, long deadlineNanos) {
        if (wallNanos - deadlineNanos > OVERRUN_SLACK_NANOS) {
            overruns.increment();
        }
    }

    long errors(String collector) {
        LongAdder adder = errors.get(collector);
        return adder == null ? 0 : adder.sum();
    }

    long timeouts(String collector) {
        LongAdder adder = timeouts.get(collector);
        return adder == null ? 0 : adder.sum();
    }

    Fragment fragment(List<CollectorOutcome> outcomes, Instant snapshotTime) {
        FragmentBuilder out = new FragmentBuilder();
        collectionDuration.writeTo(out);
        out.counter(COLLECTIONS, collections.sum());
        out.counter(OVERRUNS, overruns.sum());
        out.gauge(SNAPSHOT_TIMESTAMP, snapshotTime.toEpochMilli() / 1000.0);
        for (CollectorOutcome outcome : outcomes) {
            String name = outcome.collector();
            out.gauge(COLLECTOR_DURATION, outcome.duration().toNanos() / 1e9, name);
            out.counter(COLLECTOR_ERRORS, errors(name), name);
            out.counter(COLLECTOR_TIMEOUTS, timeouts(name), name);
            for (OutcomeStatus status : OutcomeStatus.values()) {
                out.gauge(COLLECTOR_STATUS, outcome.status() == status ? 1 : 0, name, status.label());
            }
            out.gauge(COLLECTOR_STALE, outcome.stale() ? 1 : 0, name);
            if (outcome.dataCollectedAt() != null) {
                out.gauge(COLLECTOR_DATA_AGE, outcome.dataAge(snapshotTime).toNanos() / 1e9, name);
            }
        }
        return out.build();
    }
}
