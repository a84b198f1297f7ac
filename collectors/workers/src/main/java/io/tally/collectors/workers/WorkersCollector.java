package io.tally.collectors.workers;

import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.CollectionOutput;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.workers.BreakerState;
import io.tally.collectors.core.workers.JobOutcome;
import io.tally.collectors.core.workers.WindowedIncrease;
import io.tally.collectors.core.workers.WorkerFact;
import io.tally.collectors.core.workers.WorkerMetrics;

import java.util.Map;

/**
 * Reads the recorder's live cells and writes the worker families and one {@link
 * io.tally.collectors.core.workers.WorkerFact} per target. The cells change with every job, so there
 * is no immutable state to memoize: each collection reads them once (one sum per adder).
 */
public final class WorkersCollector implements Collector {
    private final String name;
    private final WorkersSource source;
    /** Collections run one at a time, so this is observed from one thread at a time. */
    private final WindowedIncrease dlqGrowth = new WindowedIncrease(WorkerFact.DLQ_WINDOW_SECONDS * 1_000_000_000L);

    public WorkersCollector(String name, WorkersSource source) {
        this.name = name;
        this.source = source;
    }

    @Override
    public String name() {
        return name;
    }

    /** Nothing to serve until a host or a caller of the ingest endpoint has reported an event. */
    @Override
    public boolean isAvailable() {
        return source.recorded();
    }

    @Override
    public String unavailableReason() {
        return "no worker event recorded yet (embedded recorder or POST /ingest/v1/events)";
    }

    @Override
    public void collect(CollectionContext context, CollectionOutput out) throws InterruptedException {
        long now = source.tick();
        int written = 0;
        for (TargetCells cells : source.targets()) {
            if ((++written & 63) == 0 && Thread.interrupted()) {
                throw new InterruptedException("workers collection interrupted");
            }
            String t = cells.target;
            if (cells.jobsSeen()) {
                for (JobOutcome o : JobOutcome.values()) {
                    out.counter(WorkerMetrics.JOBS_PROCESSED, cells.jobs(o), name, t, o.label());
                }
            }
            if (cells.startsSeen()) {
                out.gauge(WorkerMetrics.JOBS_IN_FLIGHT, cells.inFlight(), name, t);
            }
            long[] duration = cells.duration.cumulativeCounts();
            long[] wait = cells.wait.cumulativeCounts();
            if (cells.jobsSeen()) {
                out.histogram(WorkerMetrics.JOB_DURATION, duration, cells.duration.sumSeconds(), name, t);
                out.histogram(WorkerMetrics.JOB_WAIT, wait, cells.wait.sumSeconds(), name, t);
            }
            for (Map.Entry<String, Double> e : cells.retries.read().entrySet()) {
                out.counter(WorkerMetrics.RETRIES, e.getValue(), name, t, e.getKey());
            }
            BreakerState state = cells.breakerState();
            if (state != null) {
                for (BreakerState s : BreakerState.values()) {
                    out.gauge(WorkerMetrics.BREAKER_STATE, s == state ? 1 : 0, name, t, s.label());
                }
                out.gauge(WorkerMetrics.BREAKER_STATE_SECONDS, cells.breakerStateSeconds(now), name, t);
                out.counter(WorkerMetrics.BREAKER_OPEN_SECONDS, cells.openSeconds(now), name, t);
                out.counter(WorkerMetrics.BREAKER_TRIPS, cells.trips(), name, t);
            }
            Map<String, Double> writes = cells.dlqWrites.read();
            for (Map.Entry<String, Double> e : writes.entrySet()) {
                out.counter(WorkerMetrics.DLQ_WRITES, e.getValue(), name, t, e.getKey());
            }
            for (Map.Entry<String, Double> e : cells.replays().entrySet()) {
                out.counter(WorkerMetrics.DLQ_REPLAYS, e.getValue(), name, t, e.getKey());
            }
            double dlq = writes.values().stream().mapToDouble(Double::doubleValue).sum();
            out.fact(t, cells.fact(name, now, duration, wait, dlqGrowth.observe(t, now, dlq)));
        }
        int[] pool = source.workers();
        if (pool != null) {
            out.gauge(WorkerMetrics.WORKERS, pool[0], name, "active");
            out.gauge(WorkerMetrics.WORKERS, pool[1], name, "idle");
        }
        source.submissions().forEach((priority, results) -> results.forEach(
                (result, n) -> out.counter(WorkerMetrics.SUBMISSIONS, n, name, priority, result)));
        source.dropped().forEach((reason, n) -> out.counter(WorkerMetrics.EVENTS_DROPPED, n, name, reason));
    }
}
