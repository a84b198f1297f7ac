package io.tally.collectors.workers;

import com.codahale.metrics.Clock;
import io.tally.collectors.core.workers.BreakerState;
import io.tally.collectors.core.workers.JobOutcome;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The recorder behind the embedded API and the ingest endpoint: live, striped cells per target,
 * created once per target and read by {@link WorkersCollector} at each collection. State is bounded:
 * at most {@code maxTargets} targets (calls for more are dropped and counted), at most
 * {@code maxErrorTypes} error types per target and {@code maxPriorities} priorities (more count
 * under {@code other}).
 */
public final class WorkersSource implements PublishingRecorder {
    /** Why an event was left out, as {@code tally_worker_events_dropped_total{reason}} says. */
    public enum Drop {
        TARGET_LIMIT, INVALID_TARGET, INVALID_OUTCOME,
        /** A line of POST /ingest/v1/events refused before it reached the recorder (its reason is in the answer). */
        INGEST_REFUSED;

        final String label = name().toLowerCase(java.util.Locale.ROOT);
    }

    private final ConcurrentHashMap<String, TargetCells> targets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, BoundedCounters> submissions = new ConcurrentHashMap<>();
    private final LongAdder[] dropped = new LongAdder[Drop.values().length];
    private final int maxTargets;
    private final int maxErrorTypes;
    private final int maxPriorities;
    private final Clock clock;
    /** Made once: a method reference per call would allocate on the hot path. */
    private final java.util.function.LongSupplier ticks;
    /** Active workers in the high half, idle in the low half, so a reader never sees half an update; -1 unreported. */
    private volatile long pool = -1;
    private volatile boolean recorded;

    public WorkersSource(int maxTargets, int maxErrorTypes, int maxPriorities, Clock clock) {
        this.maxTargets = maxTargets;
        this.maxErrorTypes = maxErrorTypes;
        this.maxPriorities = maxPriorities;
        this.clock = clock;
        this.ticks = clock::getTick;
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = new LongAdder();
        }
    }

    /**
     * The cells of {@code target}, created on first sight when the name is valid and the limit allows;
     * null (and the drop counted) otherwise.
     */
    private TargetCells cells(String target) {
        TargetCells cells = target == null ? null : targets.get(target);
        if (cells != null) {
            return cells;
        }
        return create(target);
    }

    private TargetCells create(String target) {
        if (!WorkerNames.validTarget(target)) {
            drop(Drop.INVALID_TARGET);
            return null;
        }
        if (targets.size() >= maxTargets) {
            drop(Drop.TARGET_LIMIT);
            return null;
        }
        return targets.computeIfAbsent(target, t -> new TargetCells(t, maxErrorTypes));
    }

    private void drop(Drop reason) {
        dropped[reason.ordinal()].increment();
        seen();
    }

    private void seen() {
        if (!recorded) {
            recorded = true;
        }
    }

    /** Counts an ingested line that was refused, so that a misbehaving pusher shows in /metrics too. */
    public void refusedLine() {
        drop(Drop.INGEST_REFUSED);
    }

    /**
     * Why an event for {@code target} would be dropped now, or null when it would be kept: what the
     * ingest endpoint tells a caller per line.
     */
    public Drop wouldDrop(String target) {
        if (targets.containsKey(target)) {
            return null;
        }
        if (!WorkerNames.validTarget(target)) {
            return Drop.INVALID_TARGET;
        }
        return targets.size() >= maxTargets ? Drop.TARGET_LIMIT : null;
    }

    @Override
    public void submitted(String priority, String result) {
        BoundedCounters byResult = priority == null ? null : submissions.get(priority);
        if (byResult == null) {
            String key = priority != null && WorkerNames.validWord(priority) && submissions.size() < maxPriorities
                    ? priority : BoundedCounters.OTHER;
            byResult = submissions.computeIfAbsent(key, k -> new BoundedCounters(maxErrorTypes));
        }
        byResult.increment(result);
        seen();
    }

    @Override
    public void started(String target) {
        TargetCells cells = cells(target);
        if (cells != null) {
            cells.started();
            seen();
        }
    }

    @Override
    public void finished(String target, JobOutcome outcome, long durationNanos, long waitNanos) {
        if (outcome == null) {
            drop(Drop.INVALID_OUTCOME);
            return;
        }
        TargetCells cells = cells(target);
        if (cells != null) {
            cells.finished(outcome, durationNanos, waitNanos);
            seen();
        }
    }

    @Override
    public void retry(String target, String errorType) {
        TargetCells cells = cells(target);
        if (cells != null) {
            cells.retries.increment(errorType);
            seen();
        }
    }

    @Override
    public void breaker(String target, BreakerState state) {
        if (state == null) {
            drop(Drop.INVALID_OUTCOME);
            return;
        }
        TargetCells cells = cells(target);
        if (cells != null) {
            cells.breaker(state, ticks);
            seen();
        }
    }

    @Override
    public void dlqWrite(String target, String errorType) {
        TargetCells cells = cells(target);
        if (cells != null) {
            cells.dlqWrites.increment(errorType);
            seen();
        }
    }

    @Override
    public void dlqReplay(String target, boolean succeeded) {
        TargetCells cells = cells(target);
        if (cells != null) {
            cells.replay(succeeded);
            seen();
        }
    }

    @Override
    public void workers(int active, int idle) {
        pool = ((long) Math.max(0, active) << 32) | (Math.max(0, idle) & 0xffffffffL);
        seen();
    }

    /** True once any event arrived, kept or dropped. */
    boolean recorded() {
        return recorded;
    }

    Collection<TargetCells> targets() {
        return targets.values();
    }

    /** Active and idle workers, or null when the host never reported its pool. */
    int[] workers() {
        long p = pool;
        return p < 0 ? null : new int[] {(int) (p >>> 32), (int) p};
    }

    /** Submissions by priority, then result. */
    Map<String, Map<String, Double>> submissions() {
        Map<String, Map<String, Double>> out = new TreeMap<>();
        submissions.forEach((priority, results) -> out.put(priority, results.read()));
        return out;
    }

    Map<String, Long> dropped() {
        Map<String, Long> out = new TreeMap<>();
        for (Drop d : Drop.values()) {
            long n = dropped[d.ordinal()].sum();
            if (n > 0) {
                out.put(d.label, n);
            }
        }
        return out;
    }

    long tick() {
        return clock.getTick();
    }
}
