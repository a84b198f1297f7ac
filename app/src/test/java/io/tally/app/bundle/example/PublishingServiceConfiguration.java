package io.tally.app.bundle.example;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.util.Duration;
import io.tally.app.bundle.EmbeddedTallyConfiguration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.Map;

/** The example publishing service's configuration: its own keys, and Tally's under {@code tally:}. */
public class PublishingServiceConfiguration extends Configuration {
    /** Target name to webhook URL. */
    @NotEmpty
    @JsonProperty
    public Map<String, String> webhooks = Map.of();

    @Min(1)
    @Max(64)
    @JsonProperty
    public int workers = 4;

    /** Deliveries of one job before it goes to the dead-letter queue. */
    @Min(1)
    @JsonProperty
    public int maxAttempts = 3;

    /** Consecutive failures of a target that open its breaker. */
    @Min(1)
    @JsonProperty
    public int breakerThreshold = 3;

    /** How long an open breaker waits before it lets one job through (half-open). */
    @NotNull
    @JsonProperty
    public Duration breakerCooldown = Duration.seconds(30);

    @Min(1)
    @JsonProperty
    public int queueCapacity = 1000;

    @Valid
    @NotNull
    @JsonProperty
    public EmbeddedTallyConfiguration tally = new EmbeddedTallyConfiguration();
}
