package io.tally.collectors.workers;

import io.tally.collectors.core.workers.BreakerState;
import io.tally.collectors.core.workers.JobOutcome;
import io.tally.collectors.core.workers.WorkerFact;
import io.tally.collectors.core.workers.WorkerMetrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One target's live worker figures, created once when the target is first seen. Every record call
 * is an adder increment or a histogram observation (striped, lock-free, no allocation); only a
 * breaker transition allocates, once per transition.
 */
final class TargetCells {
    final String target;
    private final LongAdder[] outcomes = new LongAdder[JobOutcome.values().length];
    private final LongAdder started = new LongAdder();
    final NanosHistogram duration = new NanosHistogram(WorkerMetrics.JOB_DURATION);
    final NanosHistogram wait = new NanosHistogram(WorkerMetrics.JOB_WAIT);
    final BoundedCounters retries;
    final BoundedCounters dlqWrites;
    private final LongAdder replaysSucceeded = new LongAdder();
    private final LongAdder replaysFailed = new LongAdder();
    private final LongAdder trips = new LongAdder();
    /** The current breaker state and since when; null until the host reports one. */
    private final AtomicReference<Phase> breaker = new AtomicReference<>();
    /** Open time of the phases that have ended, nanoseconds. */
    private final LongAdder openNanos = new LongAdder();
    private volatile boolean jobsSeen;

    /** @param since tick the phase began; the open time of finished phases is kept in {@link #openNanos} */
    private record Phase(BreakerState state, long since) {
    }

    TargetCells(String target, int maxErrorTypes) {
        this.target = target;
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = new LongAdder();
        }
        this.retries = new BoundedCounters(maxErrorTypes);
        this.dlqWrites = new BoundedCounters(maxErrorTypes);
    }

    void started() {
        started.increment();
    }

    void finished(JobOutcome outcome, long durationNanos, long waitNanos) {
        outcomes[outcome.ordinal()].increment();
        duration.observe(Math.max(0, durationNanos));
        wait.observe(Math.max(0, waitNanos));
        if (!jobsSeen) {
            jobsSeen = true;
        }
    }

    void replay(boolean succeeded) {
        (succeeded ? replaysSucceeded : replaysFailed).increment();
    }

    /** The clock is read only on a transition: repeating the current state is one read. */
    void breaker(BreakerState state, java.util.function.LongSupplier ticks) {
        while (true) {
            Phase current = breaker.get();
            if (current != null && current.state == state) {
                return;
            }
            long tick = ticks.getAsLong();
            if (breaker.compareAndSet(current, new Phase(state, tick))) {
                if (current != null && current.state == BreakerState.OPEN) {
                    openNanos.add(Math.max(0, tick - current.since));
                }
                if (state == BreakerState.OPEN) {
                    trips.increment();
                }
                return;
            }
        }
    }

    long jobs(JobOutcome outcome) {
        return outcomes[outcome.ordinal()].sum();
    }

    boolean jobsSeen() {
        return jobsSeen;
    }

    /** Started and not finished; never below 0 (a host may report finishes without starts). */
    long inFlight() {
        long finished = 0;
        for (LongAdder outcome : outcomes) {
            finished += outcome.sum();
        }
        return Math.max(0, started.sum() - finished);
    }

    boolean startsSeen() {
        return started.sum() > 0;
    }

    BreakerState breakerState() {
        Phase p = breaker.get();
        return p == null ? null : p.state;
    }

    double breakerStateSeconds(long now) {
        Phase p = breaker.get();
        return p == null ? 0 : Math.max(0, now - p.since) / 1e9;
    }

    double openSeconds(long now) {
        Phase p = breaker.get();
        long ongoing = p != null && p.state == BreakerState.OPEN ? Math.max(0, now - p.since) : 0;
        return (openNanos.sum() + ongoing) / 1e9;
    }

    long trips() {
        return trips.sum();
    }

    Map<String, Double> replays() {
        Map<String, Double> out = new TreeMap<>();
        long ok = replaysSucceeded.sum();
        long failed = replaysFailed.sum();
        if (ok > 0) {
            out.put("success", (double) ok);
        }
        if (failed > 0) {
            out.put("failed", (double) failed);
        }
        return out;
    }

    Map<String, Double> outcomes() {
        Map<String, Double> out = new TreeMap<>();
        if (jobsSeen) {
            for (JobOutcome o : JobOutcome.values()) {
                out.put(o.label(), (double) jobs(o));
            }
        }
        return out;
    }

    WorkerFact fact(String source, long now, long[] durationCounts, long[] waitCounts, double dlqWritesRecent) {
        BreakerState state = breakerState();
        boolean timed = durationCounts[durationCounts.length - 1] > 0;
        return new WorkerFact(source, outcomes(), startsSeen() ? (double) inFlight() : null,
                timed ? WorkerMetrics.quantile(WorkerMetrics.DURATION_BOUNDS, durationCounts, 0.5) : null,
                timed ? WorkerMetrics.quantile(WorkerMetrics.DURATION_BOUNDS, durationCounts, 0.95) : null,
                timed ? WorkerMetrics.quantile(WorkerMetrics.WAIT_BOUNDS, waitCounts, 0.95) : null,
                retries.read(), state == null ? null : state.label(), state == null ? null : breakerStateSeconds(now),
                state == null ? null : openSeconds(now), state == null ? null : (double) trips(), dlqWrites.read(),
                replays(), dlqWritesRecent);
    }
}
