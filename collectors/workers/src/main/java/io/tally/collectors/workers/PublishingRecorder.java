package io.tally.collectors.workers;

import io.tally.collectors.core.workers.BreakerState;
import io.tally.collectors.core.workers.JobOutcome;

import java.time.Duration;

/**
 * What a publishing service's workers tell Tally, call by call. Calls are lock-free and, once a
 * target and an error type have been seen, allocation-free: a host calls them from its worker
 * threads on every job. A call that would grow state past its bounds (too many targets, an invalid
 * name) is dropped and counted in {@code tally_worker_events_dropped_total}; it never throws.
 */
public interface PublishingRecorder {

    /** A job was offered to the queue; {@code result} is accepted, rejected, ... */
    void submitted(String priority, String result);

    /** A worker took a job for {@code target} off the queue. */
    void started(String target);

    /** A job for {@code target} ended: how, how long it ran, how long it had waited in the queue. */
    void finished(String target, JobOutcome outcome, long durationNanos, long waitNanos);

    default void finished(String target, JobOutcome outcome, Duration duration, Duration wait) {
        finished(target, outcome, duration.toNanos(), wait.toNanos());
    }

    /** A job for {@code target} is retried after an error of {@code errorType} (timeout, http_5xx, ...). */
    void retry(String target, String errorType);

    /** The circuit breaker of {@code target} is in {@code state}; repeating the current state changes nothing. */
    void breaker(String target, BreakerState state);

    /** A job for {@code target} went to the dead-letter queue after an error of {@code errorType}. */
    void dlqWrite(String target, String errorType);

    /** A dead-lettered job for {@code target} was replayed; {@code succeeded} says how it went. */
    void dlqReplay(String target, boolean succeeded);

    /** The worker pool now has {@code active} workers on a job and {@code idle} waiting. */
    void workers(int active, int idle);
}
