package io.tally.collectors.queue;

import java.time.Duration;
import java.util.List;

/**
 * One connection to a broker: opened, read from, closed. Used by one polling thread at a time;
 * only {@link #abort()} comes from another.
 */
public interface BrokerClient extends AutoCloseable {

    /** {@code rabbitmq}, {@code redis}, {@code nats}: the {@code broker} label. */
    String broker();

    void connect(Duration timeout) throws BrokerException, InterruptedException;

    boolean isConnected();

    /** Reads the named queues; a missing queue is a reading with {@code exists = false}, not an error. */
    List<QueueReading> read(List<String> queues, Duration timeout) throws BrokerException, InterruptedException;

    /** Queue names matching a glob, for sources that can list; others throw {@link UnsupportedOperationException}. */
    default List<String> list(String glob, Duration timeout) throws BrokerException, InterruptedException {
        throw new UnsupportedOperationException(broker() + " cannot list queues; name them one by one");
    }

    /**
     * Makes a call in flight on the polling thread fail now, typically by closing the socket under
     * it. Called from another thread (at shutdown) while {@code connect} or {@code read} may be
     * running, so it touches only what is safe to touch concurrently; the polling thread still
     * calls {@link #close()} afterwards. The default does nothing: the caller also interrupts the
     * polling thread, and waits for it at most the broker timeout.
     */
    default void abort() {
    }

    @Override
    void close();
}
