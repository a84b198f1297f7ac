package io.tally.collectors.core;

import com.codahale.metrics.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The polling lifecycle of a background source. Every interval (a fixed delay on the shared
 * scheduler, whose threads only start it) the task runs on a virtual thread of its own; a poll that
 * comes due while the previous one still runs is skipped and counted ({@link BusyGuard}). The task
 * reports failures in a row here, and asks whether their backoff has passed before trying its peer
 * again; the poller keeps the count and the time of the next attempt.
 */
public final class Poller {
    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
    /** One poll. It runs alone: the poller never starts a second while one is going. */
    @FunctionalInterface
    public interface Task {
        void run() throws InterruptedException;
    }

    private final String threadName;
    private final PollSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Task task;
    private final BusyGuard guard = new BusyGuard();
    private volatile ScheduledFuture<?> schedule;
    /** Read and written only by the poll that holds the guard, whose hand-over orders them. */
    private int failures;
    private long retryTick;

    public Poller(String threadName, PollSettings settings, Clock clock, ScheduledExecutorService scheduler,
                  Task task) {
        this.threadName = threadName;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
        this.task = task;
    }

    /** Polls every interval from now on, the first one interval from now. */
    public void start() {
        long period = settings.interval().toMillis();
        schedule = scheduler.scheduleWithFixedDelay(this::runInBackground, period, period, TimeUnit.MILLISECONDS);
    }

    /** No poll starts after this; one already running is left to the source to end. */
    public void stop() {
        ScheduledFuture<?> scheduled = schedule;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    /** One poll now on a virtual thread of its own (skipped when one is running); join it to wait. */
    public Thread runInBackground() {
        return Thread.ofVirtual().name(threadName).start(this::runIfIdle);
    }

    /** One poll now, on the caller's thread; false (and a skip counted) when one is already running. */
    public boolean runIfIdle() {
        if (!guard.tryEnter()) {
            return false;
        }
        try {
            task.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A virtual thread's uncaught exception goes to stderr, not the log; the next poll still
            // runs. The class only: a message may quote a peer's URL, credentials and all.
            LOG.warn("Poll {} failed with {}", threadName, e.getClass().getName());
        } finally {
            guard.leave();
        }
        return true;
    }

    /**
     * Runs {@code action} once no poll is running, waiting at most {@code wait} for one to end, and
     * keeps polls out while it runs; false, without running it, when the poll did not end in time.
     */
    public boolean whenIdle(Duration wait, Runnable action) throws InterruptedException {
        if (!guard.enterWithin(wait)) {
            return false;
        }
        try {
            action.run();
        } finally {
            guard.leave();
        }
        return true;
    }

    /** Polls skipped because the previous one was still running. */
    public long skipped() {
        return guard.skipped();
    }

    /** From a poll: true while the backoff after the last failure has not passed at {@code tick}. */
    public boolean backingOff(long tick) {
        return tick < retryTick;
    }

    /** From a poll: one more failure in a row; the next attempt waits its backoff. Returns the count. */
    public int failed() {
        failures++;
        retryTick = clock.getTick() + TimeUnit.MILLISECONDS.toNanos(settings.backoff().delayMillis(failures));
        return failures;
    }

    /** From a poll: the peer answered again; the next failure is a first one. */
    public void recovered() {
        failures = 0;
    }

    /** From a poll: failures in a row since the peer last answered. */
    public int failures() {
        return failures;
    }
}
