package io.tally.collectors.discovery;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where the refresh manager is: before the first refresh, during one, or how the last one ended. */
public enum RefreshStatus {
    IDLE, IN_PROGRESS, SUCCESS, FAILED;

    @JsonValue
    /** Lower-cased once: labels are written for every series. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
