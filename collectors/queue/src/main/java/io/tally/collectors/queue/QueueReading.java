package io.tally.collectors.queue;

/**
 * What the broker said about one queue in one poll. Figures the broker does not have are null.
 *
 * @param exists      false when the queue (key, stream) does not exist; depth is then 0
 * @param unacked     delivered but not acknowledged (Redis stream group pending, NATS ack pending)
 * @param lag         not yet delivered to the consumer group (Redis stream lag, NATS num pending)
 * @param redelivered messages delivered more than once (NATS)
 * @param offsets     per-partition offsets of a partitioned log (Kafka), for rates and the offset verdict
 */
public record QueueReading(String queue, boolean exists, long depth, Integer consumers, Long unacked, Long lag,
                           Long redelivered, PartitionOffsets offsets) {

    /** A reading of a broker without partition offsets. */
    public QueueReading(String queue, boolean exists, long depth, Integer consumers, Long unacked, Long lag,
                        Long redelivered) {
        this(queue, exists, depth, consumers, unacked, lag, redelivered, null);
    }
}
