package io.tally.app.checks;

import com.codahale.metrics.Clock;
import com.codahale.metrics.health.HealthCheck;
import io.tally.collectors.core.CollectorOutcome;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.OutcomeStatus;
import io.tally.collectors.core.Snapshot;

import java.time.Duration;
import java.time.Instant;

/**
 * One per collector on the admin port: healthy while its data is fresh enough; unhealthy when its
 * source is unavailable or its data has been stale for longer than {@code collection.staleLimit}.
 */
public final class CollectorHealthCheck extends HealthCheck {
    private final String collector;
    private final CollectorRegistry registry;
    private final Duration staleLimit;
    private final Clock clock;

    public CollectorHealthCheck(String collector, CollectorRegistry registry, Duration staleLimit, Clock clock) {
        this.collector = collector;
        this.registry = registry;
        this.staleLimit = staleLimit;
        this.clock = clock;
    }

    @Override
    protected Result check() {
        Snapshot snapshot = registry.latest();
        CollectorOutcome outcome = snapshot.outcome(collector);
        if (outcome == null) {
            return Result.unhealthy("not collected yet");
        }
        if (outcome.status() == OutcomeStatus.UNAVAILABLE) {
            return Result.unhealthy(outcome.error());
        }
        Instant now = Instant.ofEpochMilli(clock.getTime());
        Duration age = outcome.dataCollectedAt() == null ? null : Duration.between(outcome.dataCollectedAt(), now);
        if (age == null) {
            return Result.unhealthy("%s with no data: %s", outcome.status().label(), outcome.error());
        }
        if (age.compareTo(staleLimit) > 0) {
            return Result.unhealthy("data is %d s old (limit %d s); last outcome %s: %s", age.toSeconds(),
                    staleLimit.toSeconds(), outcome.status().label(), outcome.error());
        }
        if (outcome.status() != OutcomeStatus.OK) {
            return Result.healthy("stale for %d s after %s: %s", age.toSeconds(), outcome.status().label(),
                    outcome.error());
        }
        return Result.healthy();
    }
}
