package io.tally.collectors.core;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.dropwizard.jackson.Discoverable;

/**
 * A collector type as it appears in {@code config.yml}. Implementations carry
 * {@code @JsonTypeName("their-type")} and are listed in
 * {@code META-INF/services/io.tally.collectors.core.CollectorFactory}; a jar that does both and
 * sits on the class path adds a collector type without any change to the application.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface CollectorFactory extends Discoverable {

    /** The collector's name: unique across the configuration. */
    String getName();

    /** Builds the collector and registers its background source with {@code environment}. */
    Collector build(CollectorEnvironment environment);
}
