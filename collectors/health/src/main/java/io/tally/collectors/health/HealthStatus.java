package io.tally.collectors.health;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** A target's health: unknown until probed; degraded after a first failure or when slow. */
public enum HealthStatus {
    UNKNOWN, HEALTHY, DEGRADED, UNHEALTHY;

    @JsonValue
    /** Lower-cased once: labels are written for every series. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
