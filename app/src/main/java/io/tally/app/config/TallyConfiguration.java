package io.tally.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.validation.ValidationMethod;
import io.tally.app.auth.AuthConfiguration;
import io.tally.app.collection.CollectionConfiguration;
import io.tally.app.auth.NetworkExposure;
import io.tally.app.sharding.ShardingConfiguration;
import io.tally.app.stats.StatsConfiguration;
import io.tally.app.trends.TrendsConfiguration;
import io.tally.collectors.core.CollectorFactory;
import io.tally.collectors.discovery.DiscoveryFactory;
import io.tally.collectors.health.HealthFactory;
import io.tally.collectors.publisher.PublisherFactory;
import io.tally.collectors.queue.QueueFactory;
import io.tally.collectors.workers.WorkersFactory;
import io.tally.app.ingest.IngestConfiguration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The whole of {@code config.yml}. */
public class TallyConfiguration extends Configuration {

    @Valid
    @NotNull
    private CollectionConfiguration collection = new CollectionConfiguration();

    @Valid
    @NotNull
    private DiscoveryFactory discovery = new DiscoveryFactory();

    @Valid
    @NotNull
    private HealthFactory health = new HealthFactory();

    @Valid
    @NotNull
    private StatsConfiguration stats = new StatsConfiguration();

    @Valid
    @NotNull
    private TrendsConfiguration trends = new TrendsConfiguration();

    @Valid
    @NotNull
    private AuthConfiguration auth = new AuthConfiguration();

    @Valid
    @NotNull
    private ShardingConfiguration sharding = new ShardingConfiguration();

    @Valid
    @NotNull
    private WorkersFactory workers = new WorkersFactory();

    @Valid
    @NotNull
    private IngestConfiguration ingest = new IngestConfiguration();

    @Valid
    @NotNull
    private List<QueueFactory> queues = List.of();

    @Valid
    @NotNull
    private List<PublisherFactory> publishers = List.of();

    @Valid
    @NotNull
    private List<CollectorFactory> collectors = List.of();

    /** Names the built-in families use; a configured collector cannot take them. */
    public static final Set<String> BUILT_IN_COLLECTORS = Set.of("discovery", "refresh", "health", WorkersFactory.NAME);

    @JsonProperty
    public CollectionConfiguration getCollection() {
        return collection;
    }

    @JsonProperty
    public void setCollection(CollectionConfiguration collection) {
        this.collection = collection;
    }

    @JsonProperty
    public DiscoveryFactory getDiscovery() {
        return discovery;
    }

    @JsonProperty
    public void setDiscovery(DiscoveryFactory discovery) {
        this.discovery = discovery;
    }

    @JsonProperty
    public HealthFactory getHealth() {
        return health;
    }

    @JsonProperty
    public void setHealth(HealthFactory health) {
        this.health = health;
    }

    @JsonProperty
    public StatsConfiguration getStats() {
        return stats;
    }

    @JsonProperty
    public void setStats(StatsConfiguration stats) {
        this.stats = stats;
    }

    @JsonProperty
    public TrendsConfiguration getTrends() {
        return trends;
    }

    @JsonProperty
    public void setTrends(TrendsConfiguration trends) {
        this.trends = trends;
    }

    /** Who may call Tally: tokens and users with roles; off without either. */
    @JsonProperty
    public AuthConfiguration getAuth() {
        return auth;
    }

    @JsonProperty
    public void setAuth(AuthConfiguration auth) {
        this.auth = auth;
    }

    /** Which shard of how many this replica is; one replica owns everything without it. */
    @JsonProperty
    public ShardingConfiguration getSharding() {
        return sharding;
    }

    @JsonProperty
    public void setSharding(ShardingConfiguration sharding) {
        this.sharding = sharding;
    }

    /** The publishing workers' recorder: bounds on what it keeps (docs/collectors/workers.md). */
    @JsonProperty
    public WorkersFactory getWorkers() {
        return workers;
    }

    @JsonProperty
    public void setWorkers(WorkersFactory workers) {
        this.workers = workers;
    }

    /** POST /ingest/v1/events: size limits of a pushed batch. */
    @JsonProperty
    public IngestConfiguration getIngest() {
        return ingest;
    }

    @JsonProperty
    public void setIngest(IngestConfiguration ingest) {
        this.ingest = ingest;
    }

    /** Broker connections: rabbitmq, redis, nats. */
    @JsonProperty
    public List<QueueFactory> getQueues() {
        return queues;
    }

    @JsonProperty
    public void setQueues(List<QueueFactory> queues) {
        requireUniqueNames(merged(queues, publishers, collectors));
        this.queues = List.copyOf(queues);
    }

    /** Publishers whose own metrics are scraped: prometheus. */
    @JsonProperty
    public List<PublisherFactory> getPublishers() {
        return publishers;
    }

    @JsonProperty
    public void setPublishers(List<PublisherFactory> publishers) {
        requireUniqueNames(merged(queues, publishers, collectors));
        this.publishers = List.copyOf(publishers);
    }

    /** Collectors of any type found on the class path, including third-party ones. */
    @JsonProperty
    public List<CollectorFactory> getCollectors() {
        return collectors;
    }

    @JsonProperty
    public void setCollectors(List<CollectorFactory> collectors) {
        requireUniqueNames(merged(queues, publishers, collectors));
        this.collectors = List.copyOf(collectors);
    }

    /**
     * Tally answers with every target's health and error text: beyond loopback that is for callers
     * with credentials, unless the operator says anonymous access is meant.
     */
    @ValidationMethod(message = "server.applicationConnectors listen beyond loopback with auth off: add auth.tokens "
            + "or auth.users, or set auth.allowAnonymous: true (or bindHost: 127.0.0.1)")
    public boolean isApplicationExposureAuthorized() {
        return auth.enabled() || auth.allowAnonymous() || !NetworkExposure.applicationBeyondLoopback(getServerFactory());
    }

    /** The admin port runs tasks and shows thread dumps: never anonymous beyond loopback. */
    @ValidationMethod(message = "server.adminConnectors listen beyond loopback with auth off: add auth.tokens or "
            + "auth.users (auth.allowAnonymous does not open the admin port), or bindHost: 127.0.0.1")
    public boolean isAdminExposureAuthorized() {
        return auth.enabled() || !NetworkExposure.adminBeyondLoopback(getServerFactory());
    }

    /** Every configured collector factory: queues, publishers, then other collectors. */
    public List<CollectorFactory> allCollectorFactories() {
        List<CollectorFactory> all = merged(queues, publishers, collectors);
        requireUniqueNames(all);
        return all;
    }

    private static List<CollectorFactory> merged(List<? extends CollectorFactory> a, List<? extends CollectorFactory> b,
                                                 List<? extends CollectorFactory> c) {
        List<CollectorFactory> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all;
    }

    // Thrown while binding so that Dropwizard names the key in its one-line error.
    private static void requireUniqueNames(List<CollectorFactory> factories) {
        Set<String> names = new HashSet<>();
        for (CollectorFactory factory : factories) {
            if (factory.getName() == null || factory.getName().isBlank()) {
                throw new IllegalArgumentException("every collector needs a name");
            }
            if (BUILT_IN_COLLECTORS.contains(factory.getName())) {
                throw new IllegalArgumentException("collector name '" + factory.getName()
                        + "' is taken by a built-in collector");
            }
            if (!names.add(factory.getName())) {
                throw new IllegalArgumentException("duplicate collector name '" + factory.getName() + "'");
            }
        }
    }
}
