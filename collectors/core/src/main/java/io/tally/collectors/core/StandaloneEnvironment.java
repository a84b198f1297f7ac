package io.tally.collectors.core;

import com.codahale.metrics.Clock;
import io.dropwizard.lifecycle.Managed;
import io.tally.collectors.core.catalog.TargetCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A {@link CollectorEnvironment} outside the Dropwizard application, for tests, benchmarks and
 * embedding: it starts the registered sources in order and stops them in reverse.
 */
public final class StandaloneEnvironment implements CollectorEnvironment, AutoCloseable {
    private final Clock clock;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tally-standalone-timer").daemon(true).factory());
    private final TargetCatalog targets = new TargetCatalog();
    private final List<Managed> managed = new ArrayList<>();

    public StandaloneEnvironment(Clock clock) {
        this.clock = clock;
    }

    public StandaloneEnvironment() {
        this(Clock.defaultClock());
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public synchronized void manage(Managed source) {
        managed.add(source);
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public TargetCatalog targets() {
        return targets;
    }

    public synchronized void start() throws Exception {
        for (Managed source : managed) {
            source.start();
        }
    }

    @Override
    public synchronized void close() throws Exception {
        for (int i = managed.size() - 1; i >= 0; i--) {
            managed.get(i).stop();
        }
        scheduler.shutdownNow();
    }
}
