package io.tally.benchmarks;

import io.tally.collectors.core.CollectionOutput;
import io.tally.collectors.core.Fragment;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.catalog.TargetFact;
import org.openjdk.jmh.infra.Blackhole;

/** Consumes every write and keeps nothing: what a benchmark then measures is the collector's own work. */
record ConsumingOutput(Blackhole bh) implements CollectionOutput {
    @Override
    public void counter(MetricDescriptor d, double value, String... labels) {
        bh.consume(value);
        bh.consume(labels);
    }

    @Override
    public void gauge(MetricDescriptor d, double value, String... labels) {
        bh.consume(value);
        bh.consume(labels);
    }

    @Override
    public void histogram(MetricDescriptor d, long[] counts, double sum, String... labels) {
        bh.consume(counts);
        bh.consume(labels);
    }

    @Override
    public void fact(String target, TargetFact fact) {
        bh.consume(fact);
    }

    @Override
    public void include(Fragment part) {
        bh.consume(part);
    }
}
