package io.tally.app.wiring;

import com.codahale.metrics.Clock;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import io.tally.collectors.core.CollectorEnvironment;

import java.util.concurrent.ScheduledExecutorService;

/** Hands collector factories the app's clock, scheduler and Dropwizard lifecycle. */
final class LifecycleCollectorEnvironment implements CollectorEnvironment {
    private final Clock clock;
    private final LifecycleEnvironment lifecycle;
    private final ScheduledExecutorService scheduler;

    LifecycleCollectorEnvironment(Clock clock, LifecycleEnvironment lifecycle, ScheduledExecutorService scheduler) {
        this.clock = clock;
        this.lifecycle = lifecycle;
        this.scheduler = scheduler;
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
