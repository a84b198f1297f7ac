package io.tally.app.checks;

import com.codahale.metrics.Clock;
import com.codahale.metrics.health.HealthCheck;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.Snapshot;

import java.time.Duration;

/** The collection loop itself: unhealthy when no snapshot has been made for three intervals. */
public final class CollectionHealthCheck extends HealthCheck {
    private final CollectorRegistry registry;
    private final Duration interval;
    private final Clock clock;

    public CollectionHealthCheck(CollectorRegistry registry, Duration interval, Clock clock) {
        this.registry = registry;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    protected Result check() {
        Snapshot snapshot = registry.latest();
        if (snapshot.sequence() == 0) {
            return Result.unhealthy("no collection has run yet");
        }
        Duration age = snapshot.age(clock.getTick());
        if (age.compareTo(interval.multipliedBy(3)) > 0) {
            return Result.unhealthy("latest snapshot is %d ms old; collections run every %d ms", age.toMillis(),
                    interval.toMillis());
        }
        return Result.healthy("snapshot %d, %d ms old", snapshot.sequence(), age.toMillis());
    }
}
