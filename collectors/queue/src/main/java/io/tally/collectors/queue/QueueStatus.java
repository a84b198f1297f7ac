package io.tally.collectors.queue;

/** One queue after a poll: how it is mapped, what the broker said, and the verdict over the window. */
public record QueueStatus(QueueMapping mapping, QueueReading reading, QueueVerdict verdict, Double depthChangePerSecond) {

    /** depth / capacity, when a capacity is configured. */
    public Double utilization() {
        Long capacity = mapping.capacity();
        return capacity == null ? null : reading.depth() / (double) capacity;
    }
}
