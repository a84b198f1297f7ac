package io.tally.collectors.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a queue source knows, immutable, replaced after every poll.
 *
 * @param started           a poll has been attempted (before that the collector is unavailable)
 * @param reconnectAttempts connection attempts after the first
 * @param droppedQueues     queues matched but not reported because of {@code maxQueues}
 */
public record QueueState(boolean started, boolean connected, long reconnectAttempts, Map<String, Long> pollErrors,
                         Duration lastPollDuration, Instant lastSuccess, String lastError, List<QueueStatus> queues,
                         int droppedQueues) {
    public QueueState {
        pollErrors = Map.copyOf(pollErrors);
        queues = List.copyOf(queues);
    }

    static final QueueState NOT_STARTED = new QueueState(false, false, 0, Map.of(), Duration.ZERO, null, null,
            List.of(), 0);
}
