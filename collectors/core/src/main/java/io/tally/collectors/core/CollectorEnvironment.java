package io.tally.collectors.core;

import com.codahale.metrics.Clock;
import io.dropwizard.lifecycle.Managed;
import io.tally.collectors.core.catalog.TargetCatalog;

import java.util.concurrent.ScheduledExecutorService;

/** What the application gives a {@link CollectorFactory} to build its collector and source with. */
public interface CollectorEnvironment {

    /** The clock every source and collector reads time from, so that tests can move it. */
    Clock clock();

    /**
     * Registers a background source: started after the server is configured, before the first
     * collection, and stopped on shutdown.
     */
    void manage(Managed source);

    /**
     * The one scheduler sources share for their timers. Work that blocks must be handed to a
     * virtual thread, never run on this scheduler's threads.
     */
    ScheduledExecutorService scheduler();

    /**
     * The targets this replica is responsible for: every family reads it. Without sharding it is
     * everything discovery found.
     */
    TargetCatalog targets();

    /**
     * Where discovery publishes everything it found. With sharding, the application narrows it to
     * the targets this replica owns in {@link #targets()}; without, both are the same catalog.
     */
    default TargetCatalog discoveredTargets() {
        return targets();
    }
}
