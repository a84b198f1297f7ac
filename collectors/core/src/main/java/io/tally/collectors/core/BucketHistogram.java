package io.tally.collectors.core;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A cumulative Prometheus-style histogram that sources update as observations happen and
 * collectors read. Observations are lock-free; a read is a consistent-enough copy (each bucket is
 * read once and made cumulative, so the counts never decrease between buckets).
 */
public final class BucketHistogram {
    private final MetricDescriptor descriptor;
    private final LongAdder[] buckets;
    private final DoubleAdder sum = new DoubleAdder();

    public BucketHistogram(MetricDescriptor descriptor) {
        if (descriptor.type() != MetricType.HISTOGRAM) {
            throw new IllegalArgumentException(descriptor.name() + " is not a histogram");
        }
        this.descriptor = descriptor;
        this.buckets = new LongAdder[descriptor.bucketCount() + 1];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    public void observe(double value) {
        int i = 0;
        int finite = descriptor.bucketCount();
        while (i < finite && value > descriptor.bucketBound(i)) {
            i++;
        }
        buckets[i].increment();
        sum.add(value);
    }

    /** Cumulative counts, one per finite bound then +Inf. */
    public long[] cumulativeCounts() {
        long[] counts = new long[buckets.length];
        long running = 0;
        for (int i = 0; i < buckets.length; i++) {
            running += buckets[i].sum();
            counts[i] = running;
        }
        return counts;
    }

    public double sum() {
        return sum.sum();
    }

    public void writeTo(CollectionOutput out, String... labelValues) {
        out.histogram(descriptor, cumulativeCounts(), sum(), labelValues);
    }
}
