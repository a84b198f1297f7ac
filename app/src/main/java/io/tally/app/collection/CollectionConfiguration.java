package io.tally.app.collection;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/** The {@code collection:} block: how often and under which deadline the registry collects. */
public class CollectionConfiguration {

    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration interval = Duration.seconds(15);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 60, unit = TimeUnit.SECONDS)
    private Duration deadline = Duration.milliseconds(250);

    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    private Duration maxAge = Duration.seconds(5);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration staleLimit = Duration.minutes(1);

    @JsonProperty
    public Duration getInterval() {
        return interval;
    }

    @JsonProperty
    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    @JsonProperty
    public Duration getDeadline() {
        return deadline;
    }

    @JsonProperty
    public void setDeadline(Duration deadline) {
        this.deadline = deadline;
    }

    @JsonProperty
    public Duration getMaxAge() {
        return maxAge;
    }

    @JsonProperty
    public void setMaxAge(Duration maxAge) {
        this.maxAge = maxAge;
    }

    /** How old a collector's data may get before its health check on the admin port fails. */
    @JsonProperty
    public Duration getStaleLimit() {
        return staleLimit;
    }

    @JsonProperty
    public void setStaleLimit(Duration staleLimit) {
        this.staleLimit = staleLimit;
    }

    @ValidationMethod(message = "collection.deadline must be shorter than collection.interval")
    public boolean isDeadlineShorterThanInterval() {
        return interval == null || deadline == null || deadline.toNanoseconds() < interval.toNanoseconds();
    }
}
