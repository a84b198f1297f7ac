package io.tally.collectors.workers;

import io.tally.collectors.core.MetricDescriptor;

import java.util.concurrent.atomic.LongAdder;

/**
 * A cumulative histogram of durations observed in nanoseconds, for the recorder's hot path: the
 * bounds are compared as longs and the sum is a {@link LongAdder} of nanoseconds (exact, and no
 * double conversion per observation). Read as seconds, like every Tally histogram.
 */
final class NanosHistogram {
    private final long[] bounds;
    private final LongAdder[] buckets;
    private final LongAdder sumNanos = new LongAdder();

    NanosHistogram(MetricDescriptor descriptor) {
        bounds = new long[descriptor.bucketCount()];
        for (int i = 0; i < bounds.length; i++) {
            bounds[i] = Math.round(descriptor.bucketBound(i) * 1e9);
        }
        buckets = new LongAdder[bounds.length + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void observe(long nanos) {
        long[] b = bounds;
        int i = 0;
        while (i < b.length && nanos > b[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(nanos);
    }

    /** Cumulative counts, one per finite bound then +Inf. */
    long[] cumulativeCounts() {
        long[] counts = new long[buckets.length];
        long running = 0;
        for (int i = 0; i < buckets.length; i++) {
            running += buckets[i].sum();
            counts[i] = running;
        }
        return counts;
    }

    double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
