package io.tally.collectors.discovery;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.dropwizard.jackson.Discoverable;

/** A discovery source type in config.yml ({@code type: static | file | http | dns | kubernetes}). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface TargetSourceFactory extends Discoverable {

    /** The source's name; defaults to its type. */
    String getName();

    TargetSource build(com.codahale.metrics.Clock clock);
}
