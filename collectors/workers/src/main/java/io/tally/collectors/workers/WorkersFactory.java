package io.tally.collectors.workers;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tally.collectors.core.CollectorEnvironment;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The {@code workers:} block: bounds of the recorder that the embedded API and the ingest endpoint
 * feed. It is one per application (the figures of every host worker pool and every ingest caller
 * join in it), so it is a block of its own rather than an entry of {@code collectors:}.
 */
public class WorkersFactory {
    /** The collector's name, and the {@code source} label of its series. */
    public static final String NAME = "workers";

    /**
     * Off by default: a recorder nobody feeds would show as an unavailable collector and lower the
     * health score's freshness. The embedded bundle turns it on.
     */
    @JsonProperty
    private boolean enabled;

    @Min(1)
    @Max(100_000)
    @JsonProperty
    private int maxTargets = 1000;

    @Min(1)
    @Max(1000)
    @JsonProperty
    private int maxErrorTypes = 32;

    @Min(1)
    @Max(100)
    @JsonProperty
    private int maxPriorities = 16;

    public boolean enabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int maxTargets() {
        return maxTargets;
    }

    public int maxErrorTypes() {
        return maxErrorTypes;
    }

    public int maxPriorities() {
        return maxPriorities;
    }

    /** The recorder and the collector that reads it. */
    public record Components(WorkersSource recorder, WorkersCollector collector) {
    }

    public Components build(CollectorEnvironment environment) {
        WorkersSource source = new WorkersSource(maxTargets, maxErrorTypes, maxPriorities, environment.clock());
        return new Components(source, new WorkersCollector(NAME, source));
    }
}
