package io.tally.collectors.core.workers;

import io.tally.collectors.core.catalog.TargetFact;

import java.util.Map;

/**
 * What one source of worker figures (the embedded recorder and the ingest endpoint, or a scraped
 * notifier) knows about publishing jobs for one target. Counts are totals since the source started.
 * Figures the source does not report are null (a notifier without a wait histogram, a target whose
 * breaker was never reported); maps hold only what was reported.
 *
 * @param jobsByOutcome        finished jobs by {@link JobOutcome} label
 * @param inFlight             jobs started and not finished; null when the source does not report starts
 * @param breakerState         {@link BreakerState} label, null when never reported
 * @param breakerStateSeconds  time in the current breaker state
 * @param breakerOpenSeconds   total time the breaker was open
 * @param dlqReplaysByResult   replays by result: success or failed
 * @param dlqWritesRecent      DLQ writes over the last {@link #DLQ_WINDOW_SECONDS}; null when unknown
 */
public record WorkerFact(String source, Map<String, Double> jobsByOutcome, Double inFlight,
                         Double jobDurationP50Seconds, Double jobDurationP95Seconds, Double jobWaitP95Seconds,
                         Map<String, Double> retriesByErrorType, String breakerState, Double breakerStateSeconds,
                         Double breakerOpenSeconds, Double breakerTrips, Map<String, Double> dlqWritesByErrorType,
                         Map<String, Double> dlqReplaysByResult, Double dlqWritesRecent) implements TargetFact {
    /** The window over which a growing DLQ counts against the health score. */
    public static final long DLQ_WINDOW_SECONDS = 300;

    public WorkerFact {
        jobsByOutcome = Map.copyOf(jobsByOutcome);
        retriesByErrorType = Map.copyOf(retriesByErrorType);
        dlqWritesByErrorType = Map.copyOf(dlqWritesByErrorType);
        dlqReplaysByResult = Map.copyOf(dlqReplaysByResult);
    }

    public double jobs() {
        return sum(jobsByOutcome);
    }

    public double jobs(JobOutcome outcome) {
        return jobsByOutcome.getOrDefault(outcome.label(), 0.0);
    }

    public double retries() {
        return sum(retriesByErrorType);
    }

    public double dlqWrites() {
        return sum(dlqWritesByErrorType);
    }

    public double dlqReplays() {
        return sum(dlqReplaysByResult);
    }

    public boolean breakerOpen() {
        return BreakerState.OPEN.label().equals(breakerState);
    }

    private static double sum(Map<String, Double> values) {
        double total = 0;
        for (double v : values.values()) {
            total += v;
        }
        return total;
    }
}
