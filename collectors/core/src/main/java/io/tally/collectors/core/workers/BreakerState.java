package io.tally.collectors.core.workers;

import java.util.Locale;

/** A circuit breaker's state, ordered from healthy to tripped. */
public enum BreakerState {
    CLOSED, HALF_OPEN, OPEN;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    public static BreakerState parse(String value) {
        for (BreakerState state : values()) {
            if (state.label.equals(value)) {
                return state;
            }
        }
        return null;
    }

    /** A scraped notifier's spelling of a state ({@code half-open}, {@code HALF_OPEN}), or null. */
    public static BreakerState fromForeign(String value) {
        if (value == null) {
            return null;
        }
        return parse(value.toLowerCase(Locale.ROOT).replace('-', '_'));
    }

    /**
     * A numeric gauge's state, for notifiers that expose the breaker as one number per target:
     * 0 closed, 1 half-open, 2 open (ordered by severity); any other value is unknown (null).
     */
    public static BreakerState fromNumber(double value) {
        if (value == 0) {
            return CLOSED;
        }
        if (value == 1) {
            return HALF_OPEN;
        }
        return value == 2 ? OPEN : null;
    }
}
