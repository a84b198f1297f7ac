package io.tally.collectors.core;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How one collector's part of one collection went. */
public enum OutcomeStatus {
    /** Collected within the deadline. */
    OK,
    /** Threw; its last good data is carried over, marked stale. */
    ERROR,
    /** Overran the deadline and was interrupted; its last good data is carried over, marked stale. */
    TIMEOUT,
    /** Its source had nothing to offer; it was not called. */
    UNAVAILABLE;

    @JsonValue
    /** Lower-cased once: labels are written for every series. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
