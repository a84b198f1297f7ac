package io.tally.collectors.core;

import com.codahale.metrics.Clock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand. Starts at a fixed wall time. */
final class ManualClock extends Clock {
    private final AtomicLong nanos = new AtomicLong(TimeUnit.SECONDS.toNanos(1_700_000_000L));

    void advance(long amount, TimeUnit unit) {
        nanos.addAndGet(unit.toNanos(amount));
    }

    @Override
    public long getTick() {
        return nanos.get();
    }

    @Override
    public long getTime() {
        return TimeUnit.NANOSECONDS.toMillis(nanos.get());
    }
}
