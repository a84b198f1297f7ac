package io.tally.collectors.discovery;

/**
 * A lookup that failed as a whole. {@code kind} labels the error metric: {@code timeout},
 * {@code io}, {@code parse}, {@code http_status}, {@code too_large}, {@code dns}. Messages never
 * hold a URL's secret parts.
 */
public final class DiscoveryException extends Exception {
    private final String kind;

    public DiscoveryException(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    public DiscoveryException(String kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }
}
