package io.tally.collectors.queue;

import io.tally.collectors.core.PollSettings;
import io.tally.collectors.core.catalog.RedactedUrl;

import java.util.List;

/**
 * What a {@link QueueSource} is told by its config: its name, the broker's URI (redacted: it
 * usually holds a password), which queues to read and for which targets, and how to poll.
 *
 * @param exclude   globs of queue names never reported, applied after patterns are expanded
 * @param maxQueues at most this many queues are reported; the rest are counted as dropped
 * @param window    polls in each queue's verdict window
 */
public record QueueSettings(String name, RedactedUrl uri, List<QueueMapping> mappings, List<String> exclude,
                            int maxQueues, int window, PollSettings poll) {
    public QueueSettings {
        mappings = List.copyOf(mappings);
    }
}
