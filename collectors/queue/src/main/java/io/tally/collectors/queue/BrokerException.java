package io.tally.collectors.queue;

/**
 * A broker call that failed. {@code kind} labels the poll-error metric: {@code connect},
 * {@code timeout}, {@code auth}, {@code protocol}, {@code io} ({@code QueueSource} adds
 * {@code internal} for anything else a client throws). Messages never hold a password.
 */
public final class BrokerException extends Exception {
    private final String kind;

    public BrokerException(String kind, String message) {
        super(message);
        this.kind = kind;
    }

    public String kind() {
        return kind;
    }
}
