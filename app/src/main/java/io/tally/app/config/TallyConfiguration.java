package io.tally.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.tally.collectors.core.CollectorFactory;
import io.tally.collectors.discovery.DiscoveryFactory;
import io.tally.collectors.health.HealthFactory;
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
    private List<CollectorFactory> collectors = List.of();

    /** Names the built-in families use; a configured collector cannot take them. */
    public static final Set<String> BUILT_IN_COLLECTORS = Set.of("discovery", "refresh", "health");

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

    /** Collectors of any type found on the class path, including third-party ones. */
    @JsonProperty
    public List<CollectorFactory> getCollectors() {
        return collectors;
    }

    @JsonProperty
    public void setCollectors(List<CollectorFactory> collectors) {
        requireUniqueNames(collectors);
        this.collectors = List.copyOf(collectors);
    }

    /** Every configured collector factory, in configuration order. */
    public List<CollectorFactory> allCollectorFactories() {
        List<CollectorFactory> all = new ArrayList<>(collectors);
        requireUniqueNames(all);
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
