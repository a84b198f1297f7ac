package io.tally.app.stats;

/**
 * A {@code /stats} query parameter that cannot be used: which one, and what it accepts. The stats
 * package says what is wrong; the resource that took the request turns it into the API's 400.
 */
public final class InvalidQuery extends RuntimeException {
    private final String parameter;
    private final String accepts;

    InvalidQuery(String parameter, String accepts) {
        super("bad parameter '" + parameter + "': " + accepts, null, false, false);
        this.parameter = parameter;
        this.accepts = accepts;
    }

    public String parameter() {
        return parameter;
    }

    /** What the parameter accepts, in words, e.g. "a whole number from 1 to 1000". */
    public String accepts() {
        return accepts;
    }
}
