package io.tally.app.wiring;

import com.codahale.metrics.Clock;
import io.dropwizard.lifecycle.Managed;
import io.tally.app.sharding.ShardedTargets;
import io.tally.collectors.core.CollectorEnvironment;
import io.tally.collectors.core.catalog.TargetCatalog;

import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Hands collector factories the app's clock, scheduler and target catalog, and puts the sources
 * they register where the app manages them: the Dropwizard lifecycle itself (in order) or a
 * {@link ConcurrentSources} group.
 */
final class LifecycleCollectorEnvironment implements CollectorEnvironment {
    private final Clock clock;
    private final Consumer<Managed> lifecycle;
    private final ScheduledExecutorService scheduler;
    private final ShardedTargets targets;

    LifecycleCollectorEnvironment(Clock clock, Consumer<Managed> lifecycle, ScheduledExecutorService scheduler,
                                  ShardedTargets targets) {
        this.clock = clock;
        this.lifecycle = lifecycle;
        this.scheduler = scheduler;
        this.targets = targets;
    }

    @Override
    public TargetCatalog targets() {
        return targets.owned();
    }

    @Override
    public TargetCatalog discoveredTargets() {
        return targets.discovered();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void manage(Managed source) {
        lifecycle.accept(source);
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }
}
