package io.tally.collectors.publisher;

/**
 * The one bucket layout of {@code tally_publisher_latency_seconds}. Publishers choose their own
 * buckets (Alertmanager 1, 5, 10, 15, 20 s; client libraries .005 to 10 s), but one Prometheus
 * family needs one layout for {@code sum by (le)} and {@code histogram_quantile} across publishers
 * and targets to mean anything. This layout holds both common ones, so those are carried exactly.
 * Other bounds are re-binned conservatively: a Tally bucket counts what the publisher's largest
 * bound at or below it counted, so an observation is never claimed faster than the publisher's
 * buckets prove (quantiles can only come out high, never low).
 */
final class LatencyBuckets {
    static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 30, 60, 120};

    private LatencyBuckets() {
    }

    /**
     * The publisher's cumulative counts over its {@code bounds} (one more count, +Inf, at the end),
     * on {@link #BOUNDS}; non-decreasing even when the publisher's are not.
     */
    static long[] rebin(double[] bounds, long[] cumulative) {
        long[] out = new long[BOUNDS.length + 1];
        long total = cumulative[cumulative.length - 1];
        int j = 0;
        long previous = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            while (j < bounds.length && bounds[j] <= BOUNDS[i]) {
                j++;
            }
            long count = j == 0 ? 0 : cumulative[j - 1];
            previous = Math.max(previous, Math.min(count, total));
            out[i] = previous;
        }
        out[BOUNDS.length] = Math.max(previous, total);
        return out;
    }
}
