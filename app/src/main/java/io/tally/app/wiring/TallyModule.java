package io.tally.app.wiring;

import com.codahale.metrics.Clock;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.dropwizard.core.setup.Environment;
import io.tally.app.collection.CollectionConfiguration;
import io.tally.app.config.TallyConfiguration;
import io.tally.app.exposition.ReservedNames;
import io.tally.app.ingest.IngestConfiguration;
import io.tally.app.sharding.ShardIdentity;
import io.tally.app.sharding.ShardedTargets;
import io.tally.app.stats.StatsConfiguration;
import io.tally.app.trends.TrendsConfiguration;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorEnvironment;
import io.tally.collectors.core.CollectorFactory;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.catalog.TargetCatalog;
import io.tally.collectors.discovery.DiscoveryFactory;
import io.tally.collectors.discovery.RefreshManager;
import io.tally.collectors.publisher.PublisherFactory;
import io.tally.collectors.queue.QueueFactory;
import io.tally.collectors.workers.WorkersFactory;
import io.tally.collectors.workers.WorkersSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/** Binds what Dropwizard made (configuration, environment) to what Tally builds from it. */
public final class TallyModule extends AbstractModule {
    private final TallyConfiguration configuration;
    private final Environment environment;

    public TallyModule(TallyConfiguration configuration, Environment environment) {
        this.configuration = configuration;
        this.environment = environment;
    }

    @Provides
    @Singleton
    TallyConfiguration configuration() {
        return configuration;
    }

    @Provides
    @Singleton
    CollectionConfiguration collection() {
        return configuration.getCollection();
    }

    @Provides
    @Singleton
    StatsConfiguration stats() {
        return configuration.getStats();
    }

    @Provides
    @Singleton
    TrendsConfiguration trends() {
        return configuration.getTrends();
    }

    @Provides
    @Singleton
    IngestConfiguration ingest() {
        return configuration.getIngest();
    }

    @Provides
    @Singleton
    WorkersFactory workersConfiguration() {
        return configuration.getWorkers();
    }

    @Provides
    @Singleton
    Environment environment() {
        return environment;
    }

    /** The mapper Jersey writes responses with, for bodies rendered ahead of a request. */
    @Provides
    @Singleton
    ObjectMapper objectMapper() {
        return environment.getObjectMapper();
    }

    @Provides
    @Singleton
    MetricRegistry metricRegistry() {
        return environment.metrics();
    }

    @Provides
    @Singleton
    Clock clock() {
        return Clock.defaultClock();
    }

    @Provides
    @Singleton
    ScheduledExecutorService scheduler() {
        // Timers only: sources hand blocking work to virtual threads, so one thread is enough.
        return environment.lifecycle().scheduledExecutorService("tally-timer").threads(1).build();
    }

    @Provides
    @Singleton
    ShardedTargets shardedTargets() {
        return new ShardedTargets(configuration.getSharding().identity());
    }

    @Provides
    @Singleton
    ShardIdentity shardIdentity(ShardedTargets targets) {
        return targets.identity();
    }

    /** The targets this replica owns: what every family probes and reports. */
    @Provides
    @Singleton
    TargetCatalog targetCatalog(ShardedTargets targets) {
        return targets.owned();
    }

    @Provides
    @Singleton
    CollectorEnvironment collectorEnvironment(Clock clock, ScheduledExecutorService scheduler, ShardedTargets targets) {
        return new LifecycleCollectorEnvironment(clock, environment.lifecycle()::manage, scheduler, targets);
    }

    /** Built before the health prober so that its first refresh has run when probing starts. */
    @Provides
    @Singleton
    DiscoveryFactory.Components discovery(CollectorEnvironment collectorEnvironment) {
        return configuration.getDiscovery().build(collectorEnvironment);
    }

    @Provides
    @Singleton
    RefreshManager refreshManager(DiscoveryFactory.Components discovery) {
        return discovery.manager();
    }

    /** One recorder per application: the embedded API and the ingest endpoint both feed it. */
    @Provides
    @Singleton
    WorkersFactory.Components workers(CollectorEnvironment collectorEnvironment) {
        return configuration.getWorkers().build(collectorEnvironment);
    }

    @Provides
    @Singleton
    WorkersSource workersRecorder(WorkersFactory.Components workers) {
        return workers.recorder();
    }

    /**
     * Discovery's refresh manager is registered with the lifecycle first (built as a dependency of
     * this), so that its first refresh has run when probing starts; every other source waits only
     * for that, and they start together in one {@link ConcurrentSources} group registered after it.
     */
    @Provides
    @Singleton
    CollectorRegistry collectorRegistry(Clock clock, ScheduledExecutorService scheduler, ShardedTargets targets,
                                        DiscoveryFactory.Components discovery,
                                        WorkersFactory.Components workers) {
        ConcurrentSources together = new ConcurrentSources();
        environment.lifecycle().manage(together);
        CollectorEnvironment startingTogether = new LifecycleCollectorEnvironment(clock, together::add, scheduler,
                targets);
        List<Collector> collectors = new ArrayList<>(discovery.collectors());
        collectors.add(configuration.getHealth().build(startingTogether));
        if (configuration.getWorkers().enabled()) {
            collectors.add(workers.collector());
        }
        // Queues and publishers are shared systems: read on the singleton shards only, so a sum() counts them once.
        boolean singleton = targets.identity().runsSingletons();
        for (CollectorFactory factory : configuration.allCollectorFactories()) {
            boolean shared = factory instanceof QueueFactory || factory instanceof PublisherFactory;
            if (singleton || !shared) {
                collectors.add(factory.build(startingTogether));
            }
        }
        return new CollectorRegistry(collectors, configuration.getCollection().getDeadline().toJavaDuration(), clock,
                new ReservedNames());
    }

    @Provides
    @Singleton
    io.prometheus.client.CollectorRegistry prometheusRegistry() {
        return new io.prometheus.client.CollectorRegistry(true);
    }
}
