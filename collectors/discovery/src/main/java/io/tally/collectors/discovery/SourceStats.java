package io.tally.collectors.discovery;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One source's counters since start, copied at the end of each refresh.
 *
 * @param durationCounts cumulative lookup-duration bucket counts, per {@link DiscoveryMetrics#DURATION}
 * @param objectCounts   the last good lookup's {@link SourceResult#objectCounts()}
 */
public record SourceStats(String source, long successes, long failures, Map<String, Long> errorsByKind,
                          long[] durationCounts, double durationSum, Instant lastSuccess, String lastError,
                          Map<List<String>, Integer> objectCounts) {
    public SourceStats {
        errorsByKind = Map.copyOf(errorsByKind);
        objectCounts = Map.copyOf(objectCounts);
        durationCounts = durationCounts.clone();
    }
}
