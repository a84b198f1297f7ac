package io.tally.collectors.core;

import io.tally.collectors.core.catalog.TargetFact;

/**
 * Where a collector writes what it collected. Writes are only valid during the
 * {@link Collector#collect} call that received this output; afterwards they throw
 * {@link IllegalStateException}, so a collector that overran can never change a snapshot.
 *
 * <p>Label value arrays are kept as they are, not copied: pass a fresh array (varargs do) or one
 * that is never changed afterwards.
 */
public interface CollectionOutput {

    /** Writes a counter series; {@code labelValues} follow the descriptor's label names. */
    void counter(MetricDescriptor descriptor, double value, String... labelValues);

    /** Writes a gauge series. */
    void gauge(MetricDescriptor descriptor, double value, String... labelValues);

    /**
     * Writes a histogram series: {@code cumulativeCounts} has one entry per finite bound plus the
     * +Inf bucket, which is the count.
     */
    void histogram(MetricDescriptor descriptor, long[] cumulativeCounts, double sum, String... labelValues);

    /** Records a fact about a target for the per-target index. */
    void fact(String target, TargetFact fact);

    /**
     * Writes every series and fact of a prebuilt part, by reference. A collector that reads an
     * immutable state builds the part once per state ({@link FragmentMemo}) and includes it in
     * every collection until the state changes; the engine then reuses what it assembled from the
     * same parts the last time instead of buffering each series again.
     *
     * <p>The default replays the part through the other methods, for outputs that keep nothing.
     */
    default void include(Fragment part) {
        for (MetricFamily family : part.families()) {
            MetricDescriptor d = family.descriptor();
            for (Sample s : family.samples()) {
                String[] labels = s.labelValues().toArray(String[]::new);
                if (d.type() == MetricType.COUNTER) {
                    counter(d, s.value(), labels);
                } else {
                    gauge(d, s.value(), labels);
                }
            }
            for (HistogramSample h : family.histograms()) {
                long[] counts = new long[h.buckets()];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = h.bucket(i);
                }
                histogram(d, counts, h.sum(), h.labelValues().toArray(String[]::new));
            }
        }
        part.facts().forEach((target, facts) -> facts.forEach(fact -> fact(target, fact)));
    }
}
