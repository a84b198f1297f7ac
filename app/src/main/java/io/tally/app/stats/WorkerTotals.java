package io.tally.app.stats;

import io.tally.collectors.core.workers.BreakerState;
import io.tally.collectors.core.workers.JobOutcome;
import io.tally.collectors.core.workers.WorkerFact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Worker facts of several sources (the recorder, scraped notifiers) added up: counts summed, the
 * worst breaker state kept, the slowest p95 kept. One per target for /stats/{target}; one over
 * every target for /stats.
 */
public final class WorkerTotals {
    private final List<String> sources = new ArrayList<>();
    private final Map<String, Double> jobsByOutcome = new LinkedHashMap<>();
    private final Map<String, Double> retries = new TreeMap<>();
    private final Map<String, Double> dlqWrites = new TreeMap<>();
    private final Map<String, Double> dlqReplays = new TreeMap<>();
    private Double inFlight;
    private Double durationP50;
    private Double durationP95;
    private Double waitP95;
    private BreakerState breaker;
    private Double breakerStateSeconds;
    private Double breakerOpenSeconds;
    private Double breakerTrips;
    private boolean jobsReported;
    private Double dlqWritesRecent;

    WorkerTotals() {
        for (JobOutcome o : JobOutcome.values()) {
            jobsByOutcome.put(o.label(), 0.0);
        }
    }

    public static WorkerTotals of(List<WorkerFact> facts) {
        WorkerTotals totals = new WorkerTotals();
        facts.forEach(totals::add);
        return totals;
    }

    void add(WorkerFact f) {
        if (!sources.contains(f.source())) {
            sources.add(f.source());
        }
        if (!f.jobsByOutcome().isEmpty()) {
            jobsReported = true;
            f.jobsByOutcome().forEach((k, v) -> jobsByOutcome.merge(k, v, Double::sum));
        }
        f.retriesByErrorType().forEach((k, v) -> retries.merge(k, v, Double::sum));
        f.dlqWritesByErrorType().forEach((k, v) -> dlqWrites.merge(k, v, Double::sum));
        f.dlqReplaysByResult().forEach((k, v) -> dlqReplays.merge(k, v, Double::sum));
        inFlight = plus(inFlight, f.inFlight());
        durationP50 = max(durationP50, f.jobDurationP50Seconds());
        durationP95 = max(durationP95, f.jobDurationP95Seconds());
        waitP95 = max(waitP95, f.jobWaitP95Seconds());
        BreakerState state = BreakerState.parse(f.breakerState());
        if (state != null && (breaker == null || state.ordinal() > breaker.ordinal())) {
            breaker = state;
            breakerStateSeconds = f.breakerStateSeconds();
        }
        breakerOpenSeconds = plus(breakerOpenSeconds, f.breakerOpenSeconds());
        dlqWritesRecent = plus(dlqWritesRecent, f.dlqWritesRecent());
        breakerTrips = plus(breakerTrips, f.breakerTrips());
    }

    private static Double plus(Double a, Double b) {
        if (b == null) {
            return a;
        }
        return a == null ? b : Double.valueOf(a + b);
    }

    private static Double max(Double a, Double b) {
        if (b == null) {
            return a;
        }
        return a == null ? b : Double.valueOf(Math.max(a, b));
    }

    public boolean isEmpty() {
        return sources.isEmpty();
    }

    public List<String> sources() {
        return sources;
    }

    /** Jobs by outcome, every outcome present; null when no source reports finished jobs. */
    public Map<String, Double> jobsByOutcome() {
        return jobsReported ? jobsByOutcome : null;
    }

    public Double jobs() {
        return jobsReported ? jobsByOutcome.values().stream().mapToDouble(Double::doubleValue).sum() : null;
    }

    public Double jobs(JobOutcome outcome) {
        return jobsReported ? jobsByOutcome.get(outcome.label()) : null;
    }

    public Map<String, Double> retriesByErrorType() {
        return retries;
    }

    public double retries() {
        return retries.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    public Map<String, Double> dlqWritesByErrorType() {
        return dlqWrites;
    }

    public double dlqWrites() {
        return dlqWrites.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    public Map<String, Double> dlqReplaysByResult() {
        return dlqReplays;
    }

    public double dlqReplays() {
        return dlqReplays.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** DLQ writes over the last {@link WorkerFact#DLQ_WINDOW_SECONDS}; null when no source can tell. */
    public Double dlqWritesRecent() {
        return dlqWritesRecent;
    }

    public Double inFlight() {
        return inFlight;
    }

    public Double durationP50Seconds() {
        return durationP50;
    }

    public Double durationP95Seconds() {
        return durationP95;
    }

    public Double waitP95Seconds() {
        return waitP95;
    }

    /** The worst state any source reports; null when none reports a breaker. */
    public BreakerState breaker() {
        return breaker;
    }

    public Double breakerStateSeconds() {
        return breakerStateSeconds;
    }

    public Double breakerOpenSeconds() {
        return breakerOpenSeconds;
    }

    public Double breakerTrips() {
        return breakerTrips;
    }
}
