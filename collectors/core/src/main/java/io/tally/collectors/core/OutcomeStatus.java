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
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
