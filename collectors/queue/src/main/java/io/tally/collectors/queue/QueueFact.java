package io.tally.collectors.queue;

import io.tally.collectors.core.catalog.TargetFact;

/**
 * A broker queue that feeds a target. Unknown figures are null: consumers of a Redis list,
 * utilization without a configured capacity.
 *
 * @param verdict            ok, warn, stalled or stopped (see docs/collectors/queues.md)
 * @param depthChangePerSecond how fast the depth moved over the verdict window
 */
public record QueueFact(String source, String broker, String queue, String role, String priority, long depth,
                        Integer consumers, Long unacked, Long capacity, Double utilization, String verdict,
                        Double depthChangePerSecond) implements TargetFact {
}
