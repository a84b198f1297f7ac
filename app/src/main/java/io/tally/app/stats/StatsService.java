package io.tally.app.stats;

import io.tally.app.collection.CollectionConfiguration;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.Snapshot;
import jakarta.inject.Inject;

import java.time.Duration;

/**
 * The figures of the latest snapshot (collecting on demand when it is older than
 * {@code collection.maxAge}), computed once per snapshot and shared by every request.
 */
@jakarta.inject.Singleton
public final class StatsService {
    private final CollectorRegistry registry;
    private final StatsConfiguration config;
    private final Duration maxAge;
    private volatile Computed cache;

    public record Computed(Snapshot snapshot, SnapshotStats stats, HealthScore.Report health) {
    }

    @Inject
    public StatsService(CollectorRegistry registry, StatsConfiguration config, CollectionConfiguration collection) {
        this.registry = registry;
        this.config = config;
        this.maxAge = collection.getMaxAge().toJavaDuration();
    }

    public Computed current() {
        return of(registry.latestWithin(maxAge));
    }

    public Computed of(Snapshot snapshot) {
        Computed c = cache;
        if (c == null || c.snapshot() != snapshot) {
            SnapshotStats stats = SnapshotStats.of(snapshot);
            c = new Computed(snapshot, stats, HealthScore.of(stats, config));
            cache = c;
        }
        return c;
    }

    public StatsConfiguration config() {
        return config;
    }
}
