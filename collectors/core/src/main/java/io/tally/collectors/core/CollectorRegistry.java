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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

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
    private final Predicate<String> reserved;
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final ThreadFactory threads = Thread.ofVirtual().name("tally-collector-", 0).factory();
    private final EngineMetrics engineMetrics = new EngineMetrics();
    private final List<SnapshotListener> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock collecting = new ReentrantLock();
    private final ReentrantLock notifying = new ReentrantLock();
    private long lastNotified;
    private volatile Snapshot latest;
    private volatile boolean closed;

    public CollectorRegistry(List<Collector> collectors, Duration deadline, Clock clock) {
        this(collectors, deadline, clock, name -> false);
    }

    /**
     * @param reservedNames family names the application writes next to the snapshot (its own
     *                      exposition): a collector that declares one has that family left out
     */
    public CollectorRegistry(List<Collector> collectors, Duration deadline, Clock clock,
                             Predicate<String> reservedNames) {
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
        this.reserved = reservedNames.or(EngineMetrics::owns);
        this.latest = Snapshot.empty(Instant.ofEpochMilli(clock.getTime()), clock.getTick());
    }

    public void addListener(SnapshotListener listener) {
        listeners.add(listener);
    }

    public List<String> collectorNames() {
        return slots.stream().map(s -> s.collector.name()).toList();
    }

    /** The latest published snapshot; never null (an empty one before the first collection). */
    public Snapshot latest() {
        return latest;
    }

    /** The latest snapshot if it is at most {@code maxAge} old, else a fresh one (shared with concurrent callers). */
    public Snapshot latestWithin(Duration maxAge) {
        Snapshot current = latest;
        if (closed || isFresh(current, maxAge)) {
            return current;
        }
        Snapshot fresh;
        collecting.lock();
        try {
            current = latest;
            if (closed || isFresh(current, maxAge)) {
                return current;
            }
            fresh = collectLocked();
        } finally {
            collecting.unlock();
        }
        notifyListeners(fresh);
        return fresh;
    }

    /** Runs one collection now and publishes its snapshot; after {@link #close} returns the last one. */
    public Snapshot collect() {
        Snapshot snapshot;
        collecting.lock();
        try {
            if (closed) {
                return latest;
            }
            snapshot = collectLocked();
        } finally {
            collecting.unlock();
        }
        notifyListeners(snapshot);
        return snapshot;
    }

    /**
     * Tells the listeners outside the collecting lock, so that their work (the metrics bridge, the
     * trend recorder) never holds up the next collection or a request waiting for a fresh snapshot.
     * One at a time and in order: a snapshot older than one already told is skipped.
     */
    private void notifyListeners(Snapshot snapshot) {
        notifying.lock();
        try {
            if (snapshot.sequence() <= lastNotified) {
                return;
            }
            lastNotified = snapshot.sequence();
            for (SnapshotListener listener : listeners) {
                try {
                    listener.published(snapshot);
                } catch (RuntimeException e) {
                    LOG.warn("Snapshot listener {} failed", listener.getClass().getName(), e);
                }
            }
        } finally {
            notifying.unlock();
        }
    }

    /**
     * Abandons calls still running; the registry collects nothing afterwards, on schedule or on
     * demand: requests keep being answered from the last snapshot.
     */
    @Override
    public void close() {
        closed = true;
        collecting.lock();
        try {
            for (Slot slot : slots) {
                if (slot.inFlight != null && slot.inFlight.stillRunning()) {
                    slot.inFlight.abandon();
                }
            }
        } finally {
            collecting.unlock();
        }
    }

    private boolean isFresh(Snapshot snapshot, Duration maxAge) {
        return snapshot.sequence() > 0 && snapshot.age(clock.getTick()).compareTo(maxAge) <= 0;
    }

    private Snapshot collectLocked() {
        long startTick = clock.getTick();
        Instant startedAt = Instant.ofEpochMilli(clock.getTime());
        long deadlineTick = startTick + deadlineNanos;
        CollectionContext context = new CollectionContext(startedAt, deadlineTick, clock);

        int n = slots.size();
        Call[] calls = new Call[n];
        int started = 0;
        for (int i = 0; i < n; i++) {
            if (shouldCall(slots.get(i))) {
                started++;
            }
        }
        CountDownLatch done = new CountDownLatch(started);
        for (int i = 0; i < n; i++) {
            Slot slot = slots.get(i);
            if (slot.skipReason == null) {
                calls[i] = new Call(slot.collector, slot.available, context, done, slot.lastGood);
                slot.inFlight = calls[i];
                threads.newThread(calls[i]).start();
            }
        }
        awaitAll(done, deadlineTick);

        List<CollectorOutcome> outcomes = new ArrayList<>(n);
        List<Fragment> fragments = new ArrayList<>(n + 1);
        FamilyMerge merge = new FamilyMerge(reserved);
        for (int i = 0; i < n; i++) {
            Slot slot = slots.get(i);
            Served served = calls[i] == null ? notCalled(slot, startTick)
                    : finish(slot, calls[i], startTick, deadlineTick, startedAt);
            CollectorOutcome outcome = served.outcome;
            List<String> conflicts = List.of();
            if (served.fragment != null) {
                fragments.add(served.fragment);
                conflicts = merge.add(slot.collector.name(), served.fragment);
            }
            outcomes.add(conflicts.isEmpty() ? outcome : conflicted(outcome, conflicts));
            reportConflicts(slot, conflicts);
        }
        // The engine's own part carries no facts: the per-target join is done, and timed, before it.
        TargetIndex index = TargetIndex.of(fragments, latest.targets());
        long tookNanos = clock.getTick() - startTick;
        engineMetrics.record(outcomes, tookNanos / 1e9);
        merge.addOwn("engine", engineMetrics.fragment(outcomes, startedAt));

        Snapshot snapshot = new Snapshot(latest.sequence() + 1, startedAt, startTick, Duration.ofNanos(tookNanos),
                outcomes, merge.families(), index);
        latest = snapshot;
        engineMetrics.finished(clock.getTick() - startTick, deadlineNanos);
        return snapshot;
    }

    /**
     * A collector whose families clashed with another's is an error for as long as it does, even
     * though the rest of what it wrote is served: a family is missing, and that must show.
     */
    private static CollectorOutcome conflicted(CollectorOutcome outcome, List<String> conflicts) {
        String why = String.join("; ", conflicts);
        if (outcome.status() == OutcomeStatus.OK) {
            return new CollectorOutcome(outcome.collector(), OutcomeStatus.ERROR, outcome.duration(), outcome.stale(),
                    outcome.dataCollectedAt(), why);
        }
        return new CollectorOutcome(outcome.collector(), outcome.status(), outcome.duration(), outcome.stale(),
                outcome.dataCollectedAt(), outcome.error() + "; " + why);
    }

    /** Logs a clash when it starts and when it ends, not on every collection it lasts. */
    private static void reportConflicts(Slot slot, List<String> conflicts) {
        String now = conflicts.isEmpty() ? null : String.join("; ", conflicts);
        if (java.util.Objects.equals(now, slot.conflict)) {
            return;
        }
        if (now != null) {
            LOG.warn("Collector {}: {}", slot.collector.name(), now);
        } else {
            LOG.info("Collector {}: its families no longer clash with another collector's", slot.collector.name());
        }
        slot.conflict = now;
    }

    /** Decides whether a slot is called this time; records why not in the slot. */
    private boolean shouldCall(Slot slot) {
        slot.skipReason = null;
        slot.unavailableReason = null;
        try {
            slot.available = slot.collector.isAvailable();
            if (!slot.available) {
                slot.unavailableReason = bounded(slot.collector.unavailableReason());
            }
        } catch (RuntimeException e) {
            slot.available = false;
            slot.skipReason = "isAvailable failed: " + describe(e);
            return false;
        }
        if (slot.inFlight != null && slot.inFlight.stillRunning()) {
            slot.skipReason = "previous collection still running after interruption";
            return false;
        }
        return true;
    }

    /**
     * Waits for every call or the deadline. Trivial collectors finish within microseconds, less
     * than it costs to park and wake this thread, so it spins briefly before it parks.
     */
    private void awaitAll(CountDownLatch done, long deadlineTick) {
        long spinUntil = Math.min(deadlineTick, clock.getTick() + SPIN_NANOS);
        while (done.getCount() > 0 && clock.getTick() < spinUntil) {
            Thread.onSpinWait();
        }
        try {
            done.await(Math.max(0, deadlineTick - clock.getTick()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // The collecting thread is being stopped: finish this snapshot with what is done.
            Thread.currentThread().interrupt();
        }
    }

    /** A slot not called this time: its isAvailable threw, or its previous call still runs. */
    private Served notCalled(Slot slot, long startTick) {
        OutcomeStatus status = slot.skipReason.startsWith("previous") ? OutcomeStatus.TIMEOUT : OutcomeStatus.ERROR;
        return carried(slot, status, Duration.ofNanos(clock.getTick() - startTick), slot.skipReason);
    }

    /**
     * Decides, once, what a call's outcome is and which fragment the snapshot carries for it. A call
     * that had not returned by now is abandoned, and nothing it builds later is ever read; one that
     * returned after the deadline (while this thread was waking up) is late just the same, so that
     * the outcome never depends on how fast the collecting thread got here.
     */
    private Served finish(Slot slot, Call call, long startTick, long deadlineTick, Instant startedAt) {
        boolean returned = call.returned;
        if (!returned) {
            call.abandon();
        } else if (call.finishedTick - deadlineTick > 0) {
            returned = false;
        }
        if (!call.available) {
            String why = slot.unavailableReason == null ? "source unavailable"
                    : "source unavailable: " + slot.unavailableReason;
            if (returned && call.failure == null) {
                // What an unavailable source says about itself is fresh; its queue data is simply absent.
                slot.lastSelfReport = call.result;
                slot.lastSelfReportAt = startedAt;
                return new Served(new CollectorOutcome(slot.collector.name(), OutcomeStatus.UNAVAILABLE,
                        Duration.ZERO, false, startedAt, why), call.result);
            }
            // collectUnavailable overran or threw: its last report (connected 0, the errors) is carried,
            // marked stale, so that those series never vanish for a snapshot exactly when they matter.
            boolean stale = slot.lastSelfReport != null;
            String failed = returned ? "collectUnavailable failed: " + describe(call.failure)
                    : "collectUnavailable exceeded the deadline of " + Duration.ofNanos(deadlineNanos).toMillis() + " ms";
            return new Served(new CollectorOutcome(slot.collector.name(), returned ? OutcomeStatus.ERROR
                    : OutcomeStatus.TIMEOUT, Duration.ofNanos(clock.getTick() - startTick), stale,
                    stale ? slot.lastSelfReportAt : null, why + "; " + failed), slot.lastSelfReport);
        }
        if (!returned) {
            return carried(slot, OutcomeStatus.TIMEOUT, Duration.ofNanos(clock.getTick() - startTick),
                    "exceeded deadline of " + Duration.ofNanos(deadlineNanos).toMillis() + " ms");
        }
        Duration took = Duration.ofNanos(call.finishedTick - startTick);
        if (call.failure != null) {
            return carried(slot, OutcomeStatus.ERROR, took, describe(call.failure));
        }
        slot.lastGood = call.result;
        slot.lastGoodAt = startedAt;
        return new Served(new CollectorOutcome(slot.collector.name(), OutcomeStatus.OK, took, false, startedAt, null),
                call.result);
    }

    private Served carried(Slot slot, OutcomeStatus status, Duration took, String error) {
        boolean stale = slot.lastGood != null;
        return new Served(new CollectorOutcome(slot.collector.name(), status, took, stale,
                stale ? slot.lastGoodAt : null, error), slot.lastGood);
    }

    /** A collector's outcome in one collection and the fragment the snapshot carries for it (or null). */
    private record Served(CollectorOutcome outcome, Fragment fragment) {
    }

    private static String bounded(String reason) {
        if (reason == null || reason.isBlank()) {
            return null;
        }
        return reason.length() <= 300 ? reason : reason.substring(0, 300) + "...";
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
        Call inFlight;
        boolean available;
        String skipReason;
        String unavailableReason;
        /** The last report an unavailable collector made about its own source, and when. */
        Fragment lastSelfReport;
        Instant lastSelfReportAt;
        /** The clash last reported, so that it is logged when it starts and ends only. */
        String conflict;

        Slot(Collector collector) {
            this.collector = collector;
        }
    }

    /**
     * One collector's call in one collection, on its own virtual thread. Results are published by
     * the volatile {@code returned} (and the latch); {@link #abandon} closes the output first, so a
     * write after the deadline fails, then interrupts the thread.
     */
    private final class Call implements Runnable {
        private final Collector collector;
        private final boolean available;
        private final CollectionContext context;
        private final CountDownLatch done;
        private final FragmentBuilder builder;
        private volatile Thread runner;
        private volatile boolean started;
        private volatile boolean abandoned;
        volatile boolean returned;
        Fragment result;
        Throwable failure;
        long finishedTick;

        Call(Collector collector, boolean available, CollectionContext context, CountDownLatch done,
             Fragment previous) {
            this.collector = collector;
            this.builder = new FragmentBuilder(previous);
            this.available = available;
            this.context = context;
            this.done = done;
        }

        @Override
        public void run() {
            runner = Thread.currentThread();
            started = true;
            try {
                if (!abandoned) {
                    if (available) {
                        collector.collect(context, builder);
                    } else {
                        collector.collectUnavailable(context, builder);
                    }
                    result = builder.build();
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                finishedTick = clock.getTick();
                returned = true;
                done.countDown();
            }
        }

        void abandon() {
            abandoned = true;
            builder.close();
            Thread thread = runner;
            if (thread != null) {
                thread.interrupt();
            }
        }

        boolean stillRunning() {
            return started && !returned;
        }
    }
}
