package io.tally.app.metrics;

import io.tally.collectors.core.HistogramSample;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each series of a family's new version was in its previous version, so that work done for a
 * series (a gauge, its text) is kept when the series did not change. Series are numbered samples
 * first, then histograms. A series is looked for at its own position first (targets rarely come and
 * go, so most stay in place), else by its label values (an index built on the first miss).
 */
public final class PreviousSeries {
    private final MetricFamily previous;
    private Map<List<String>, Integer> byLabels;

    /** @param previous the family's previous version, or null when there is none */
    public PreviousSeries(MetricFamily previous) {
        this.previous = previous;
    }

    /** The number of the series with these label values in the previous version, or -1. */
    public int indexOf(int index, List<String> labelValues, boolean sample) {
        if (previous == null) {
            return -1;
        }
        int samples = previous.samples().size();
        if (index < previous.seriesCount() && (index < samples) == sample
                && labelValues.equals(labelsOf(series(index)))) {
            return index;
        }
        if (byLabels == null) {
            byLabels = index(previous);
        }
        Integer found = byLabels.get(labelValues);
        return found != null && (found < samples) == sample ? found : -1;
    }

    /** Series {@code index} of the previous version: a {@link Sample} or a {@link HistogramSample}. */
    public Object series(int index) {
        int samples = previous.samples().size();
        return index < samples ? previous.samples().get(index) : previous.histograms().get(index - samples);
    }

    private static List<String> labelsOf(Object series) {
        return series instanceof Sample s ? s.labelValues() : ((HistogramSample) series).labelValues();
    }

    private static Map<List<String>, Integer> index(MetricFamily family) {
        Map<List<String>, Integer> index = new HashMap<>(family.seriesCount() * 2);
        for (int i = 0; i < family.samples().size(); i++) {
            index.put(family.samples().get(i).labelValues(), i);
        }
        for (int i = 0; i < family.histograms().size(); i++) {
            index.put(family.histograms().get(i).labelValues(), family.samples().size() + i);
        }
        return index;
    }
}
