package io.tally.collectors.queue;

import java.time.Duration;
import java.util.List;

/** One connection to a broker: opened, read from, closed. Used by one polling thread at a time. */
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

    @Override
    void close();
}
