package io.tally.collectors.publisher;

import io.tally.collectors.core.workers.WorkerFact;

import java.util.Map;

/**
 * One target's worker figures from a notifier's own families (the worker roles of the rules):
 * counters corrected for resets. What a notifier does not expose is empty or null.
 *
 * @param breakerState the worst state among the target's breaker series; null without any
 * @param dlqWritesRecent DLQ writes over the last {@link WorkerFact#DLQ_WINDOW_SECONDS}, from successive scrapes
 */
public record TargetWorkers(String target, Map<String, Double> jobsByOutcome, Map<String, Double> retries,
                            String breakerState, Map<String, Double> dlqWrites, Map<String, Double> dlqReplays,
                            double dlqWritesRecent) {
    public TargetWorkers {
        jobsByOutcome = Map.copyOf(jobsByOutcome);
        retries = Map.copyOf(retries);
        dlqWrites = Map.copyOf(dlqWrites);
        dlqReplays = Map.copyOf(dlqReplays);
    }

    /** Durations, waits, in-flight jobs and breaker timings are not scraped: null, not zero. */
    public WorkerFact fact(String publisher) {
        return new WorkerFact(publisher, jobsByOutcome, null, null, null, null, retries, breakerState, null, null,
                null, dlqWrites, dlqReplays, dlqWritesRecent);
    }
}
