package io.tally.collectors.discovery;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/** {@code discovery.refresh}: how often, how patiently, and how retries back off. */
public class RefreshSettings {
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration interval = Duration.seconds(60);

    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration timeout = Duration.seconds(10);

    /** Quick retries after a failed refresh before falling back to the interval. */
    @Min(0)
    @Max(20)
    @JsonProperty
    private int retries = 3;

    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration backoff = Duration.seconds(1);

    @NotNull
    @JsonProperty
    private Duration maxBackoff = Duration.seconds(30);

    /** Each backoff is multiplied by a random factor in [1 - jitter, 1 + jitter]. */
    @DecimalMin("0")
    @DecimalMax("1")
    @JsonProperty
    private double jitter = 0.2;

    /** How often watched target files are checked for changes. */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration watchInterval = Duration.seconds(5);

    public java.time.Duration interval() {
        return interval.toJavaDuration();
    }

    public java.time.Duration timeout() {
        return timeout.toJavaDuration();
    }

    public int retries() {
        return retries;
    }

    public java.time.Duration backoff() {
        return backoff.toJavaDuration();
    }

    public java.time.Duration maxBackoff() {
        return maxBackoff.toJavaDuration();
    }

    public double jitter() {
        return jitter;
    }

    public java.time.Duration watchInterval() {
        return watchInterval.toJavaDuration();
    }
}
