package io.tally.app.trends;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The {@code trends:} block. */
public class TrendsConfiguration {
    @NotEmpty
    @JsonProperty
    private String dataDir = "data/trends";

    @NotNull
    @MinDuration(value = 5, unit = TimeUnit.MINUTES)
    @JsonProperty
    private Duration retention = Duration.hours(24);

    /** Points newer than this keep full resolution; older ones are kept at one per {@code coarseStep}. */
    @NotNull
    @JsonProperty
    private Duration fullResolution = Duration.hours(1);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration coarseStep = Duration.minutes(1);

    /** A hard kill loses at most this much history. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration flushInterval = Duration.seconds(60);

    @Min(10)
    @Max(10_000_000)
    @JsonProperty
    private int maxSeries = 100_000;

    /**
     * Once {@code maxSeries} is reached, a series without a point for this long (its target has
     * gone) gives its place to a new one, least recently appended first.
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration evictAfter = Duration.minutes(10);

    /** Where /trends and the trend blocks of /stats/{target} come from: this store, or a Prometheus-compatible one. */
    @NotNull
    @Pattern(regexp = "embedded|prometheus", message = "must be embedded or prometheus")
    @JsonProperty
    private String backend = "embedded";

    @Valid
    @NotNull
    @JsonProperty
    private PrometheusBackendConfiguration prometheus = new PrometheusBackendConfiguration();

    @ValidationMethod(message = "trends.prometheus.url is needed with trends.backend: prometheus")
    @JsonIgnore
    public boolean isPrometheusUrlGiven() {
        return !"prometheus".equals(backend) || prometheus.url() != null;
    }

    public boolean prometheusBackend() {
        return "prometheus".equals(backend);
    }

    public PrometheusBackendConfiguration prometheus() {
        return prometheus;
    }

    public Path file() {
        return Path.of(dataDir, "trends.bin");
    }

    public long retentionMillis() {
        return retention.toMilliseconds();
    }

    public long fullResolutionMillis() {
        return fullResolution.toMilliseconds();
    }

    public long coarseStepMillis() {
        return coarseStep.toMilliseconds();
    }

    public long flushIntervalMillis() {
        return flushInterval.toMilliseconds();
    }

    public int maxSeries() {
        return maxSeries;
    }

    public long evictAfterMillis() {
        return evictAfter.toMilliseconds();
    }
}
