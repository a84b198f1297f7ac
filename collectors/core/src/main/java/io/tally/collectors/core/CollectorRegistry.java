package io.tally.collectors.core;

import com.codahale.metrics.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fans out to every available collector on virtual threads, waits until all are done or the
 * deadline passes, and publishes one immutable {@link Snapshot}.
 *
 * <p>A collector that overruns is interrupted and its output closed, so a late write fails
 * instead of reaching a snapshot; its last good fragment is carried over, marked stale. A
 * collector whose previous call is still running (it ignored the interrupt) is not called again:
 * that bounds the threads a stuck collector can hold to one.
 *
 * <p>One collection runs at a time. {@link #latestWithin} collects on demand when the snapshot is
 * too old; callers that arrive while a collection runs wait for it and share its result.
 */
public final class CollectorRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CollectorRegistry.class);

    private final List<Slot> slots;
    private final long deadlineNanos;
    private final Clock clock;
    private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("tally-collector-", 0).factory());
    private final EngineMetrics engineMetrics = new EngineMetrics();
    private final List<SnapshotListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock collecting = new ReentrantLock();
    private volatile Snapshot latest;

    public CollectorRegistry(List<Collector> collectors, Duration deadline, Clock clock) {
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive");
        }
        Set<String> names = new HashSet<>();
        List<Slot> built = new ArrayList<>();
        for (Collector collector : collectors) {
            if (!names.add(collector.name())) {
                throw new IllegalArgumentException("duplicate collector name: " + collector.name());
            }
            built.add(new Slot(collector));
        }
        this.slots = List.copyOf(built);
        this.deadlineNanos = deadline.toNanos();
        this.clock = clock;
        this.latest = Snapshot.empty(Instant.ofEpochMilli(clock.getTime()), clock.getTick());
    }

    public void addListener(SnapshotListener listener) {
        listeners.add(listener);
    }

    public List<String> collectorNames() {
        return slots.stream().map(s -> s.collector.name()).toList();
    }

    public Duration deadline() {
        return Duration.ofNanos(deadlineNanos);
    }

    /** The latest published snapshot; never null (an empty one before the first collection). */
    public Snapshot latest() {
        return latest;
    }

    /** The latest snapshot if it is at most {@code maxAge} old, else a fresh one (shared with concurrent callers). */
    public Snapshot latestWithin(Duration maxAge) {
        Snapshot current = latest;
        if (isFresh(current, maxAge)) {
            return current;
        }
        collecting.lock();
        try {
            current = latest;
            return isFresh(current, maxAge) ? current : collectLocked();
        } finally {
            collecting.unlock();
        }
    }

    /** Runs one collection now and publishes its snapshot. */
    public Snapshot collect() {
        collecting.lock();
        try {
            return collectLocked();
        } finally {
            collecting.unlock();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private boolean isFresh(Snapshot snapshot, Duration maxAge) {
        return snapshot.sequence() > 0 && snapshot.age(clock.getTick()).compareTo(maxAge) <= 0;
    }

    private Snapshot collectLocked() {
        long startTick = clock.getTick();
        Instant startedAt = Instant.ofEpochMilli(clock.getTime());
        long deadlineTick = startTick + deadlineNanos;
        CollectionContext context = new CollectionContext(startedAt, deadlineTick, clock);

        List<CollectorOutcome> outcomes = new ArrayList<>(slots.size());
        List<Fragment> fragments = new ArrayList<>(slots.size() + 1);
        Running[] running = new Running[slots.size()];
        for (int i = 0; i < slots.size(); i++) {
            running[i] = start(slots.get(i), context, startTick);
        }
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            CollectorOutcome outcome = running[i] == null
                    ? notStarted(slot, startTick, startedAt)
                    : await(slot, running[i], deadlineTick, startTick, startedAt);
            outcomes.add(outcome);
            Fragment data = outcome.status() == OutcomeStatus.OK ? slot.lastGood
                    : outcome.stale() ? slot.lastGood : null;
            if (data != null) {
                fragments.add(data);
            }
        }
        double seconds = (clock.getTick() - startTick) / 1e9;
        engineMetrics.record(outcomes, seconds);
        fragments.add(engineMetrics.fragment(outcomes, startedAt));

        List<MetricFamily> families;
        try {
            families = Snapshot.mergeFamilies(fragments);
        } catch (IllegalArgumentException e) {
            // Two collectors declared one family differently: keep the engine's view, report the clash.
            LOG.warn("Dropping conflicting families: {}", e.getMessage());
            families = Snapshot.mergeFamilies(List.of(fragments.get(fragments.size() - 1)));
        }
        Snapshot snapshot = new Snapshot(latest.sequence() + 1, startedAt, startTick,
                Duration.ofNanos(clock.getTick() - startTick), outcomes, families, TargetIndex.of(fragments));
        latest = snapshot;
        for (SnapshotListener listener : listeners) {
            try {
                listener.published(snapshot);
            } catch (RuntimeException e) {
                LOG.warn("Snapshot listener {} failed", listener.getClass().getName(), e);
            }
        }
        return snapshot;
    }

    private Running start(Slot slot, CollectionContext context, long startTick) {
        try {
            if (!slot.collector.isAvailable()) {
                slot.skipReason = null;
                return null;
            }
        } catch (RuntimeException e) {
            slot.skipReason = "isAvailable failed: " + describe(e);
            return null;
        }
        if (slot.inFlight != null && slot.inFlight.stillRunning()) {
            slot.skipReason = "previous collection still running after interruption";
            return null;
        }
        slot.skipReason = null;
        FragmentBuilder builder = new FragmentBuilder();
        long[] finishedTick = new long[1];
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean returned = new AtomicBoolean();
        Future<Fragment> future = executor.submit(() -> {
            started.set(true);
            try {
                slot.collector.collect(context, builder);
                return builder.build();
            } finally {
                finishedTick[0] = clock.getTick();
                returned.set(true);
            }
        });
        Running run = new Running(future, builder, finishedTick, started, returned);
        slot.inFlight = run;
        return run;
    }

    private CollectorOutcome notStarted(Slot slot, long startTick, Instant startedAt) {
        Duration took = Duration.ofNanos(clock.getTick() - startTick);
        if (slot.skipReason == null) {
            return new CollectorOutcome(slot.collector.name(), OutcomeStatus.UNAVAILABLE, Duration.ZERO, false, null,
                    "source unavailable");
        }
        OutcomeStatus status = slot.skipReason.startsWith("previous") ? OutcomeStatus.TIMEOUT : OutcomeStatus.ERROR;
        return carried(slot, status, took, slot.skipReason);
    }

    private CollectorOutcome await(Slot slot, Running run, long deadlineTick, long startTick, Instant startedAt) {
        String name = slot.collector.name();
        try {
            long remaining = Math.max(0, deadlineTick - clock.getTick());
            Fragment fragment = run.future.get(remaining, TimeUnit.NANOSECONDS);
            slot.lastGood = fragment;
            slot.lastGoodAt = startedAt;
            return new CollectorOutcome(name, OutcomeStatus.OK, Duration.ofNanos(run.finishedTick[0] - startTick),
                    false, startedAt, null);
        } catch (TimeoutException e) {
            run.builder.close();
            run.future.cancel(true);
            return carried(slot, OutcomeStatus.TIMEOUT, Duration.ofNanos(clock.getTick() - startTick),
                    "exceeded deadline of " + Duration.ofNanos(deadlineNanos).toMillis() + " ms");
        } catch (ExecutionException e) {
            run.builder.close();
            return carried(slot, OutcomeStatus.ERROR, Duration.ofNanos(run.finishedTick[0] - startTick),
                    describe(e.getCause()));
        } catch (InterruptedException e) {
            // The collecting thread itself is being stopped: close this collector's output and say so.
            run.builder.close();
            run.future.cancel(true);
            Thread.currentThread().interrupt();
            return carried(slot, OutcomeStatus.TIMEOUT, Duration.ofNanos(clock.getTick() - startTick),
                    "collection interrupted");
        }
    }

    private CollectorOutcome carried(Slot slot, OutcomeStatus status, Duration took, String error) {
        boolean stale = slot.lastGood != null;
        return new CollectorOutcome(slot.collector.name(), status, took, stale, stale ? slot.lastGoodAt : null, error);
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + message;
    }

    /** Per-collector state kept between collections; touched only under the collecting lock. */
    private static final class Slot {
        final Collector collector;
        Fragment lastGood;
        Instant lastGoodAt;
        Running inFlight;
        String skipReason;

        Slot(Collector collector) {
            this.collector = collector;
        }
    }

    /**
     * {@code started}/{@code returned} are the task's real life: a cancelled Future reports done while
     * its thread may still run, and a task cancelled before it started never runs at all.
     */
    private record Running(Future<Fragment> future, FragmentBuilder builder, long[] finishedTick,
                           AtomicBoolean started, AtomicBoolean returned) {
        boolean stillRunning() {
            return future.isCancelled() ? started.get() && !returned.get() : !future.isDone();
        }
    }
}
