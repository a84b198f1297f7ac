package io.tally.collectors.core;

import java.util.ArrayList;
import java.util.List;

/** An immutable family: its descriptor and its series (samples, or histogram samples). */
public record MetricFamily(MetricDescriptor descriptor, List<Sample> samples, List<HistogramSample> histograms) {
    public MetricFamily {
        samples = List.copyOf(samples);
        histograms = List.copyOf(histograms);
    }

    public String name() {
        return descriptor.name();
    }

    public int seriesCount() {
        return samples.size() + histograms.size();
    }

    /** The families' series one after the other, under the first one's descriptor (same shape assumed). */
    static MetricFamily concatenation(List<MetricFamily> families) {
        int samples = 0;
        int histograms = 0;
        for (MetricFamily family : families) {
            samples += family.samples.size();
            histograms += family.histograms.size();
        }
        List<Sample> s = new ArrayList<>(samples);
        List<HistogramSample> h = new ArrayList<>(histograms);
        // Element by element: addAll would copy each family's list into an array first.
        for (MetricFamily family : families) {
            for (int i = 0; i < family.samples.size(); i++) {
                s.add(family.samples.get(i));
            }
            for (int i = 0; i < family.histograms.size(); i++) {
                h.add(family.histograms.get(i));
            }
        }
        return new MetricFamily(families.get(0).descriptor, s, h);
    }

    /** This family with {@code other}'s series appended; series already present here win. */
    MetricFamily mergedWith(MetricFamily other) {
        if (!descriptor.sameShape(other.descriptor)) {
            throw new IllegalArgumentException("metric " + name() + " is declared twice with different shapes");
        }
        List<Sample> s = new ArrayList<>(samples);
        java.util.Set<List<String>> seen = new java.util.HashSet<>();
        samples.forEach(x -> seen.add(x.labelValues()));
        other.samples.stream().filter(x -> seen.add(x.labelValues())).forEach(s::add);
        List<HistogramSample> h = new ArrayList<>(histograms);
        histograms.forEach(x -> seen.add(x.labelValues()));
        other.histograms.stream().filter(x -> seen.add(x.labelValues())).forEach(h::add);
        return new MetricFamily(descriptor, s, h);
    }
}
