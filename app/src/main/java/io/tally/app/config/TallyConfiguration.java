package io.tally.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.tally.collectors.core.CollectorFactory;
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
    private List<CollectorFactory> collectors = List.of();

    @JsonProperty
    public CollectionConfiguration getCollection() {
        return collection;
    }

    @JsonProperty
    public void setCollection(CollectionConfiguration collection) {
        this.collection = collection;
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
            if (!names.add(factory.getName())) {
                throw new IllegalArgumentException("duplicate collector name '" + factory.getName() + "'");
            }
        }
    }
}
