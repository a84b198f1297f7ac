package io.tally.collectors.publisher;

import java.util.Map;

/**
 * One target's publishing figures after a scrape: totals corrected for resets, rates since the
 * previous scrape (null after the first), and the latency histogram summed over the target's series.
 *
 * @param latencyBounds  finite bucket upper bounds, ascending; empty when no latency family
 * @param latencyCounts  cumulative counts, one per bound then +Inf
 */
public record TargetPublishing(String target, double attempts, double failures, Map<String, Double> failuresByReason,
                               Double requests, Double requestsFailed, Double attemptsPerSecond,
                               Double failuresPerSecond, double[] latencyBounds, long[] latencyCounts,
                               double latencySum) {

    /** The per-target fact, built once per scrape rather than on every collection. */
    public PublisherFact fact(String publisher) {
        return new PublisherFact(publisher, attempts, failures, successRatio(),
                failuresByReason, attemptsPerSecond, failuresPerSecond, latencyQuantile(0.5), latencyQuantile(0.95));
    }

    public Double successRatio() {
        return attempts > 0 ? Math.max(0, 1 - failures / attempts) : null;
    }

    /** Latency quantile by linear interpolation inside the bucket, as {@code histogram_quantile} does. */
    public Double latencyQuantile(double q) {
        if (latencyCounts.length == 0 || latencyCounts[latencyCounts.length - 1] == 0) {
            return null;
        }
        long total = latencyCounts[latencyCounts.length - 1];
        double rank = q * total;
        for (int i = 0; i < latencyBounds.length; i++) {
            if (latencyCounts[i] >= rank) {
                double lower = i == 0 ? 0 : latencyBounds[i - 1];
                long below = i == 0 ? 0 : latencyCounts[i - 1];
                long inBucket = latencyCounts[i] - below;
                return inBucket == 0 ? latencyBounds[i] : lower + (latencyBounds[i] - lower) * (rank - below) / inBucket;
            }
        }
        return latencyBounds.length == 0 ? null : latencyBounds[latencyBounds.length - 1];
    }
}
