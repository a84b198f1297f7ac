package io.tally.app.collection;

import io.dropwizard.lifecycle.Managed;
import io.tally.collectors.core.CollectorRegistry;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a collection every {@code collection.interval}. It owns its thread: a collection blocks for
 * up to the deadline, which must not delay the sources' timers on the shared scheduler.
 */
@jakarta.inject.Singleton
public final class CollectionSchedule implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(CollectionSchedule.class);

    private final CollectorRegistry registry;
    private final long intervalNanos;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tally-collection").daemon(true).factory());

    @Inject
    public CollectionSchedule(CollectorRegistry registry, CollectionConfiguration configuration) {
        this.registry = registry;
        this.intervalNanos = configuration.getInterval().toNanoseconds();
    }

    @Override
    public void start() {
        // First snapshot before the server answers, so /metrics never serves an empty one.
        collectQuietly();
        thread.scheduleAtFixedRate(this::collectQuietly, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(5, TimeUnit.SECONDS);
        registry.close();
    }

    private void collectQuietly() {
        try {
            registry.collect();
        } catch (RuntimeException e) {
            // A failure must not cancel the schedule: the next tick tries again.
            LOG.error("Collection failed", e);
        }
    }
}
