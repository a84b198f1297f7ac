package io.tally.collectors.queue;

/**
 * One queue after a poll: how it is mapped, what the broker said, the verdict and rates over the window, and
 * (built once per poll, not per collection) its metric labels and per-target fact.
 */
public record QueueStatus(QueueMapping mapping, QueueReading reading, QueueVerdict verdict, Double depthChangePerSecond,
                          Double messagesInPerSecond, Double consumedPerSecond, String[] labels, QueueFact fact) {

    /**
     * @param messagesIn messages written per second over the window (Kafka log-end offsets), or null
     * @param consumed   messages consumed per second over the window (Kafka committed offsets), or null
     */
    static QueueStatus of(String source, String broker, QueueMapping m, QueueReading r, QueueVerdict verdict,
                          Double rate, Double messagesIn, Double consumed) {
        Double utilization = m.capacity() == null ? null : r.depth() / (double) m.capacity();
        return new QueueStatus(m, r, verdict, rate, messagesIn, consumed,
                new String[] {source, broker, m.name(), m.target(), m.priority(), m.role()},
                new QueueFact(source, broker, m.name(), m.role(), m.priority().isEmpty() ? null : m.priority(),
                        r.depth(), r.consumers(), r.unacked(), m.capacity(), utilization, verdict.label(), rate));
    }

    /** depth / capacity, when a capacity is configured. */
    public Double utilization() {
        return fact.utilization();
    }
}
