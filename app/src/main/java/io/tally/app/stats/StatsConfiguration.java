package io.tally.app.stats;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The {@code stats:} block: the health score's objective, weights and thresholds. */
public class StatsConfiguration {
    /** Probe p95 latency a target should stay under. */
    @NotNull
    @JsonProperty
    private Duration latencyObjective = Duration.seconds(1);

    /** Score at or above which the system is healthy. */
    @Min(0)
    @Max(100)
    @JsonProperty
    private int healthyScore = 80;

    /** Score below which the system is unhealthy (between the two: degraded). */
    @Min(0)
    @Max(100)
    @JsonProperty
    private int degradedScore = 50;

    /** HTTP status of GET /health when unhealthy (200 to never fail a load balancer check). */
    @Min(200)
    @Max(599)
    @JsonProperty
    private int unhealthyHttpStatus = 503;

    @NotNull
    @JsonProperty
    private Weights weights = new Weights();

    /** Each component's weight; components without data are left out and the rest renormalized. */
    public static class Weights {
        @DecimalMin("0")
        @JsonProperty
        public double publishing = 0.35;
        @DecimalMin("0")
        @JsonProperty
        public double targets = 0.30;
        @DecimalMin("0")
        @JsonProperty
        public double latency = 0.15;
        @DecimalMin("0")
        @JsonProperty
        public double queues = 0.10;
        @DecimalMin("0")
        @JsonProperty
        public double freshness = 0.10;
        /** Publishing workers: open breakers and growing dead-letter queues (only when some source reports them). */
        @DecimalMin("0")
        @JsonProperty
        public double workers = 0.10;
    }

    @ValidationMethod(message = "stats.degradedScore must not be above stats.healthyScore")
    public boolean isThresholdsOrdered() {
        return degradedScore <= healthyScore;
    }

    public double latencyObjectiveSeconds() {
        return latencyObjective.toNanoseconds() / 1e9;
    }

    public int healthyScore() {
        return healthyScore;
    }

    public int degradedScore() {
        return degradedScore;
    }

    public int unhealthyHttpStatus() {
        return unhealthyHttpStatus;
    }

    public Weights weights() {
        return weights;
    }
}
