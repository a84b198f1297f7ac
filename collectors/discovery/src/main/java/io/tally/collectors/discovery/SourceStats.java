package io.tally.collectors.discovery;

import java.time.Instant;
import java.util.Map;

/**
 * One source's counters since start, copied at the end of each refresh.
 *
 * @param durationCounts cumulative lookup-duration bucket counts, per {@link DiscoveryMetrics#DURATION}
 */
public record SourceStats(String source, long successes, long failures, Map<String, Long> errorsByKind,
                          long[] durationCounts, double durationSum, Instant lastSuccess, String lastError) {
    public SourceStats {
        errorsByKind = Map.copyOf(errorsByKind);
        durationCounts = durationCounts.clone();
    }
}
