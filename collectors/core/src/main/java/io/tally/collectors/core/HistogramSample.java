package io.tally.collectors.core;

import java.util.Arrays;
import java.util.List;

/**
 * One histogram series: cumulative bucket counts (one per finite bound, then +Inf) and the sum of
 * observations. The count is the +Inf bucket.
 */
public final class HistogramSample {
    private final List<String> labelValues;
    private final long[] cumulativeCounts;
    private final double sum;

    public HistogramSample(List<String> labelValues, long[] cumulativeCounts, double sum) {
        this.labelValues = List.copyOf(labelValues);
        this.cumulativeCounts = cumulativeCounts.clone();
        for (int i = 1; i < this.cumulativeCounts.length; i++) {
            if (this.cumulativeCounts[i] < this.cumulativeCounts[i - 1]) {
                throw new IllegalArgumentException("bucket counts must be cumulative");
            }
        }
        this.sum = sum;
    }

    public List<String> labelValues() {
        return labelValues;
    }

    /** Cumulative count of bucket {@code index}; the last index is +Inf. */
    public long bucket(int index) {
        return cumulativeCounts[index];
    }

    public int buckets() {
        return cumulativeCounts.length;
    }

    public long count() {
        return cumulativeCounts[cumulativeCounts.length - 1];
    }

    public double sum() {
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistogramSample h && labelValues.equals(h.labelValues)
                && Arrays.equals(cumulativeCounts, h.cumulativeCounts) && Double.compare(sum, h.sum) == 0;
    }

    @Override
    public int hashCode() {
        return labelValues.hashCode() * 31 + Arrays.hashCode(cumulativeCounts);
    }

    @Override
    public String toString() {
        return "HistogramSample" + labelValues + Arrays.toString(cumulativeCounts) + " sum=" + sum;
    }
}
