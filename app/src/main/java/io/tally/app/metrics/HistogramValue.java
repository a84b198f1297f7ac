package io.tally.app.metrics;

import java.util.Map;

/** A histogram series as the admin JSON shows it: cumulative counts by upper bound, sum and count. */
public record HistogramValue(Map<String, Long> buckets, double sum, long count) {
}
