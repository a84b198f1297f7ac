package io.tally.app.wiring;

import com.codahale.metrics.Clock;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import io.tally.collectors.core.CollectorEnvironment;
import io.tally.collectors.core.target.TargetCatalog;

import java.util.concurrent.ScheduledExecutorService;

/** Hands collector factories the app's clock, scheduler and Dropwizard lifecycle. */
final class LifecycleCollectorEnvironment implements CollectorEnvironment {
    private final Clock clock;
    private final LifecycleEnvironment lifecycle;
    private final ScheduledExecutorService scheduler;
    private final TargetCatalog targets;

    LifecycleCollectorEnvironment(Clock clock, LifecycleEnvironment lifecycle, ScheduledExecutorService scheduler,
                                  TargetCatalog targets) {
        this.clock = clock;
        this.lifecycle = lifecycle;
        this.scheduler = scheduler;
        this.targets = targets;
    }

    @Override
    public TargetCatalog targets() {
        return targets;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public void manage(Managed source) {
        lifecycle.manage(source);
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }
}
