package io.tally.collectors.core;

import java.time.Instant;

/**
 * What a collector knows about the collection it is part of: when it started and when its
 * deadline passes. Collectors doing long loops check {@link #expired()} (or the thread's
 * interrupt flag) and stop.
 */
public record CollectionContext(Instant startedAt, long deadlineTick, com.codahale.metrics.Clock clock) {

    public long remainingNanos() {
        return deadlineTick - clock.getTick();
    }

    public boolean expired() {
        return remainingNanos() <= 0 || Thread.currentThread().isInterrupted();
    }
}
