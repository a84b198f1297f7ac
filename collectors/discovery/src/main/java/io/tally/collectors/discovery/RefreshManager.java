package io.tally.collectors.discovery;

import com.codahale.metrics.Clock;
import io.dropwizard.lifecycle.Managed;
import io.tally.collectors.core.Backoff;
import io.tally.collectors.core.BucketHistogram;
import io.tally.collectors.core.BusyGuard;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetCatalog;
import io.tally.collectors.core.catalog.TargetSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Re-discovers targets from every source on a schedule and publishes them into the
 * {@link TargetCatalog}. A failed source keeps contributing its last good targets; a failed
 * refresh is retried after an exponential, jittered backoff, {@code retries} times, then at the
 * interval again. Names are unique across sources: the first source in config order wins and
 * later duplicates are reported as invalid entries.
 */
public final class RefreshManager implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshManager.class);

    private final List<SourceRecord> sources;
    private final RefreshSettings settings;
    private final Backoff backoff;
    private final TargetCatalog catalog;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private static final Duration CHANGE_COALESCE = Duration.ofMillis(200);

    /** One refresh at a time: a scheduled or watched one skips while another runs, refreshNow() waits. */
    private final BusyGuard refreshing = new BusyGuard();
    private final AtomicBoolean changeQueued = new AtomicBoolean();
    private volatile DiscoveryState state;
    private volatile ScheduledFuture<?> nextRefresh;
    private volatile ScheduledFuture<?> watch;
    private volatile boolean stopped;

    public RefreshManager(List<TargetSource> sources, RefreshSettings settings, TargetCatalog catalog, Clock clock,
                          ScheduledExecutorService scheduler) {
        this.sources = sources.stream().map(SourceRecord::new).toList();
        this.settings = settings;
        this.backoff = new Backoff(settings.backoff(), settings.maxBackoff(), settings.jitter());
        this.catalog = catalog;
        this.clock = clock;
        this.scheduler = scheduler;
        this.state = DiscoveryState.idle(settings.interval());
    }

    public DiscoveryState state() {
        return state;
    }

    @Override
    public void start() {
        for (SourceRecord record : sources) {
            record.source.onChange(this::sourceChanged);
        }
        // The first refresh runs before the server answers, so the first snapshot already has targets.
        refreshNow();
        long watchMillis = settings.watchInterval().toMillis();
        watch = scheduler.scheduleWithFixedDelay(this::checkWatched, watchMillis, watchMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        stopped = true;
        cancel(nextRefresh);
        cancel(watch);
        for (SourceRecord record : sources) {
            try {
                record.source.close();
            } catch (RuntimeException e) {
                LOG.warn("Discovery source {} did not close cleanly: {}", record.source.name(), e.toString());
            }
        }
    }

    /**
     * A source saw a change. Events come in bursts (an informer's first list is one per object), so
     * they are gathered for a moment into one refresh. The flag is cleared before that refresh
     * starts: a change seen while it runs asks for another, and none is lost.
     */
    private void sourceChanged() {
        if (!stopped && changeQueued.compareAndSet(false, true)) {
            try {
                scheduler.schedule(() -> Thread.ofVirtual().name("tally-refresh").start(() -> {
                    changeQueued.set(false);
                    if (!stopped) {
                        refreshNow();
                    }
                }), CHANGE_COALESCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                changeQueued.set(false);
            }
        }
    }

    /** Refreshes now (waiting for one already running to finish first) and returns the new state. */
    public DiscoveryState refreshNow() {
        refreshing.enter();
        try {
            refreshAndReschedule();
            return state;
        } finally {
            refreshing.leave();
        }
    }

    private void checkWatched() {
        for (SourceRecord record : sources) {
            if (record.source.changed()) {
                Thread.ofVirtual().name("tally-refresh").start(this::refreshIfIdle);
                return;
            }
        }
    }

    private void refreshIfIdle() {
        if (refreshing.tryEnter()) {
            try {
                refreshAndReschedule();
            } finally {
                refreshing.leave();
            }
        }
    }

    /**
     * Inside the refresh guard: one refresh, and the next one scheduled from its outcome. The outcome
     * and its next-refresh time are published as one state, so a reader never sees a failure paired
     * with the previous success's hour-away next refresh.
     */
    private void refreshAndReschedule() {
        cancel(nextRefresh);
        DiscoveryState outcome = refreshLocked();
        Duration delay = nextDelay(outcome.consecutiveFailures());
        state = outcome.withNextRefresh(now().plus(delay));
        if (!stopped) {
            nextRefresh = scheduler.schedule(() -> Thread.ofVirtual().name("tally-refresh").start(this::refreshIfIdle),
                    delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private DiscoveryState refreshLocked() {
        long startTick = clock.getTick();
        Instant startedAt = now();
        state = state.inProgress(startedAt);
        List<Target> targets = new ArrayList<>();
        List<InvalidEntry> invalid = new ArrayList<>();
        Map<String, String> owner = new HashMap<>();
        List<String> errors = new ArrayList<>();
        int discovered = 0;
        for (SourceRecord record : sources) {
            SourceResult result = record.lookup();
            if (record.failedLast) {
                errors.add(record.source.name() + ": " + record.lastError);
                result = record.lastGood;
            }
            if (result == null) {
                continue;
            }
            discovered += result.targets().size() + result.invalid().size();
            invalid.addAll(result.invalid());
            for (Target target : result.targets()) {
                String first = owner.putIfAbsent(target.name(), record.source.name());
                if (first == null) {
                    targets.add(target);
                } else {
                    invalid.add(new InvalidEntry(record.source.name(), target.name(), "duplicate",
                            "target name '" + target.name() + "' already comes from source '" + first + "'"));
                }
            }
        }
        if (!sameTargets(catalog.current(), targets)) {
            catalog.publish(new TargetSet(targets, startedAt));
            LOG.info("Discovered {} targets ({} invalid entries)", targets.size(), invalid.size());
        }
        boolean failed = !errors.isEmpty();
        DiscoveryState previous = state;
        DiscoveryState outcome = new DiscoveryState(failed ? RefreshStatus.FAILED : RefreshStatus.SUCCESS, startedAt,
                failed ? previous.lastSuccess() : startedAt, previous.nextRefresh(),
                Duration.ofNanos(clock.getTick() - startTick), discovered, targets.size(), invalid,
                failed ? previous.consecutiveFailures() + 1 : 0, failed ? String.join("; ", errors) : null,
                sources.stream().map(SourceRecord::stats).toList(), counts(targets), settings.interval());
        if (failed) {
            LOG.warn("Discovery refresh failed, keeping the last good targets of the failed sources: {}",
                    outcome.lastError());
        }
        return outcome;
    }

    /** The interval, or after a failure (up to {@code retries} of them in a row) a jittered backoff. */
    private Duration nextDelay(int failures) {
        Duration delay = settings.interval();
        if (failures > 0 && failures <= settings.retries()) {
            delay = Duration.ofMillis(Math.max(1, Math.min(backoff.delayMillis(failures), settings.interval().toMillis())));
        }
        return delay;
    }

    private static boolean sameTargets(TargetSet current, List<Target> targets) {
        if (current.size() != targets.size()) {
            return false;
        }
        for (Target target : targets) {
            if (!target.equals(current.get(target.name()))) {
                return false;
            }
        }
        return true;
    }

    private static Map<List<String>, Integer> counts(List<Target> targets) {
        Map<List<String>, Integer> counts = new LinkedHashMap<>();
        for (Target t : targets) {
            counts.merge(List.of(t.type().label(), Boolean.toString(t.enabled()), t.source()), 1, Integer::sum);
        }
        return counts;
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.getTime());
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

    /** A source with its last good result and counters; touched only inside the refresh guard. */
    private final class SourceRecord {
        final TargetSource source;
        final BucketHistogram durations = new BucketHistogram(DiscoveryMetrics.DURATION);
        /** The latest lookup's "still running" flag: true until its discover() returns or its thread ends. */
        AtomicBoolean looking = new AtomicBoolean();
        final Map<String, Long> errorsByKind = new HashMap<>();
        long successes;
        long failures;
        SourceResult lastGood;
        boolean failedLast;
        String lastError;
        Instant lastSuccess;

        SourceRecord(TargetSource source) {
            this.source = source;
        }

        SourceResult lookup() {
            if (looking.get()) {
                // A lookup that ignored its cancel: a second thread would pile up beside it, and a
                // third, one more each refresh. Wait for it to end; till then this source times out.
                fail("timeout", "previous lookup still running");
                return null;
            }
            long start = clock.getTick();
            Duration timeout = settings.timeout();
            // One flag per lookup, cleared before the result is handed over (so the next refresh, right
            // after, does not find it set) and again when the thread ends (a task cancelled before it
            // ran never calls discover()).
            AtomicBoolean running = new AtomicBoolean(true);
            looking = running;
            FutureTask<SourceResult> task = new FutureTask<>(() -> {
                try {
                    return source.discover(timeout);
                } finally {
                    running.set(false);
                }
            });
            Thread.ofVirtual().name("tally-discovery-" + source.name()).start(() -> {
                try {
                    task.run();
                } finally {
                    running.set(false);
                }
            });
            try {
                SourceResult result = task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                successes++;
                lastGood = result;
                failedLast = false;
                lastSuccess = now();
                return result;
            } catch (TimeoutException e) {
                task.cancel(true);
                fail("timeout", "no answer within " + timeout.toMillis() + " ms");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof DiscoveryException d) {
                    fail(d.kind(), d.getMessage());
                } else {
                    fail("other", cause.getClass().getSimpleName());
                    LOG.warn("Discovery source {} failed unexpectedly", source.name(), cause);
                }
            } catch (InterruptedException e) {
                task.cancel(true);
                Thread.currentThread().interrupt();
                fail("timeout", "interrupted");
            } finally {
                durations.observe((clock.getTick() - start) / 1e9);
            }
            return null;
        }

        private void fail(String kind, String message) {
            failures++;
            errorsByKind.merge(kind, 1L, Long::sum);
            failedLast = true;
            lastError = kind + ": " + message;
        }

        SourceStats stats() {
            return new SourceStats(source.name(), successes, failures, errorsByKind, durations.cumulativeCounts(),
                    durations.sum(), lastSuccess, failedLast ? lastError : null,
                    lastGood == null ? Map.of() : lastGood.objectCounts());
        }
    }

}
