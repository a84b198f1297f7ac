package io.tally.collectors.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link CollectionOutput} one collector writes into during one collection. It is used by one
 * thread; {@link #close()} may come from another (the registry, at the deadline), after which
 * every write fails, so a late collector cannot reach a snapshot.
 */
final class FragmentBuilder implements CollectionOutput {
    private final Map<String, FamilyBuffer> families = new LinkedHashMap<>();
    private final Map<String, List<TargetFact>> facts = new LinkedHashMap<>();
    private volatile boolean closed;

    @Override
    public void counter(MetricDescriptor descriptor, double value, String... labelValues) {
        buffer(descriptor, MetricType.COUNTER, labelValues).samples.add(new Sample(labels(labelValues), value));
    }

    @Override
    public void gauge(MetricDescriptor descriptor, double value, String... labelValues) {
        buffer(descriptor, MetricType.GAUGE, labelValues).samples.add(new Sample(labels(labelValues), value));
    }

    @Override
    public void histogram(MetricDescriptor descriptor, long[] cumulativeCounts, double sum, String... labelValues) {
        FamilyBuffer buffer = buffer(descriptor, MetricType.HISTOGRAM, labelValues);
        if (cumulativeCounts.length != descriptor.bucketCount() + 1) {
            throw new IllegalArgumentException(descriptor.name() + " expects " + (descriptor.bucketCount() + 1)
                    + " bucket counts, got " + cumulativeCounts.length);
        }
        buffer.histograms.add(new HistogramSample(List.of(labelValues), cumulativeCounts, sum));
    }

    @Override
    public void fact(String target, TargetFact fact) {
        ensureOpen();
        facts.computeIfAbsent(target, t -> new ArrayList<>()).add(fact);
    }

    /** The caller's array, viewed rather than copied; a null value is refused as List.of would. */
    private static List<String> labels(String[] values) {
        for (String value : values) {
            if (value == null) {
                throw new NullPointerException("label value is null");
            }
        }
        return new LabelValues(values);
    }

    void close() {
        closed = true;
    }

    Fragment build() {
        close();
        List<MetricFamily> built = new ArrayList<>(families.size());
        for (FamilyBuffer b : families.values()) {
            built.add(new MetricFamily(b.descriptor, b.samples, b.histograms));
        }
        Map<String, List<TargetFact>> f = new LinkedHashMap<>();
        facts.forEach((k, v) -> f.put(k, List.copyOf(v)));
        return new Fragment(built, f);
    }

    private FamilyBuffer buffer(MetricDescriptor descriptor, MetricType expected, String[] labelValues) {
        ensureOpen();
        if (descriptor.type() != expected) {
            throw new IllegalArgumentException(descriptor.name() + " is a " + descriptor.type().exposition()
                    + ", not a " + expected.exposition());
        }
        if (labelValues.length != descriptor.labelNames().size()) {
            throw new IllegalArgumentException(descriptor.name() + " expects labels " + descriptor.labelNames()
                    + ", got " + labelValues.length + " values");
        }
        FamilyBuffer buffer = families.get(descriptor.name());
        if (buffer == null) {
            buffer = new FamilyBuffer(descriptor);
            families.put(descriptor.name(), buffer);
        } else if (buffer.descriptor != descriptor && !buffer.descriptor.sameShape(descriptor)) {
            throw new IllegalArgumentException("metric " + descriptor.name() + " written with two shapes");
        }
        return buffer;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("collection output closed: the collection this write belongs to has ended");
        }
    }

    private static final class FamilyBuffer {
        final MetricDescriptor descriptor;
        final List<Sample> samples = new ArrayList<>();
        final List<HistogramSample> histograms = new ArrayList<>();

        FamilyBuffer(MetricDescriptor descriptor) {
            this.descriptor = descriptor;
        }
    }
}
