package io.tally.app.metrics;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.tally.collectors.core.HistogramSample;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.SnapshotListener;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes every series of each published snapshot a metric of the app's {@link MetricRegistry}, so
 * the admin {@code /metrics} JSON and any Dropwizard reporter see it, and removes series that
 * vanished from the snapshot (a target removed). Runs on one thread at a time (the registry tells
 * listeners in order). A family that is the same object as in the previous snapshot (collectors reuse
 * what they built while their state is unchanged) keeps its gauges as they are.
 */
@jakarta.inject.Singleton
public final class SnapshotMetricsBridge implements SnapshotListener {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotMetricsBridge.class);

    /** Selects what the bridge put in a registry, e.g. to keep it out of DropwizardExports. */
    public static final MetricFilter BRIDGED = (name, metric) -> metric instanceof SnapshotGauge;

    private final MetricRegistry metrics;
    private final Map<String, SnapshotGauge> registered = new HashMap<>();
    /** Each family of the last snapshot with its gauges; a family that is the same object again is not re-bridged. */
    private Map<String, BridgedFamily> bridgedFamilies = new HashMap<>();
    private long generation;

    @Inject
    public SnapshotMetricsBridge(MetricRegistry metrics) {
        this.metrics = metrics;
    }

    @Override
    public void published(Snapshot snapshot) {
        long current = ++generation;
        Map<String, BridgedFamily> next = new HashMap<>(bridgedFamilies.size() * 2);
        for (MetricFamily family : snapshot.families()) {
            BridgedFamily before = bridgedFamilies.remove(family.name());
            if (before != null && before.family == family) {
                // The same object as last time (its collector's state did not change): same names, same values.
                next.put(family.name(), before);
                continue;
            }
            next.put(family.name(), new BridgedFamily(family, bridge(family, before, current)));
            if (before != null) {
                removeStale(before.gauges, current);
            }
        }
        for (BridgedFamily vanished : bridgedFamilies.values()) {
            removeStale(vanished.gauges, current);
        }
        bridgedFamilies = next;
    }

    /** Removes the gauges that the snapshot just bridged did not write again (a target removed). */
    private void removeStale(SnapshotGauge[] gauges, long current) {
        for (SnapshotGauge gauge : gauges) {
            if (gauge != null && gauge.generation != current && registered.remove(gauge.name, gauge)) {
                metrics.remove(gauge.name);
            }
        }
    }

    /**
     * The family's gauges, one per series in order (samples, then histograms). A series found in
     * the family's previous version keeps its gauge without its name being built again, and only a
     * series whose object changed gets a new value: bridging costs little more than the series that
     * changed.
     */
    private SnapshotGauge[] bridge(MetricFamily family, BridgedFamily before, long current) {
        MetricDescriptor d = family.descriptor();
        String name = d.sampleName();
        List<Sample> samples = family.samples();
        List<HistogramSample> histograms = family.histograms();
        SnapshotGauge[] gauges = new SnapshotGauge[samples.size() + histograms.size()];
        PreviousSeries previous = new PreviousSeries(before == null ? null : before.family);
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            int at = previous.indexOf(i, sample.labelValues(), true);
            SnapshotGauge gauge = at < 0 ? null : before.gauges[at];
            if (gauge == null) {
                gauge = put(SeriesName.encode(name, d.labelNames(), sample.labelValues()), sample.value());
            } else if (previous.series(at) != sample) {
                gauge.set(sample.value());
            }
            mark(gauge, current, gauges, i);
        }
        int offset = samples.size();
        for (int i = 0; i < histograms.size(); i++) {
            HistogramSample h = histograms.get(i);
            int at = previous.indexOf(offset + i, h.labelValues(), false);
            SnapshotGauge gauge = at < 0 ? null : before.gauges[at];
            if (gauge == null) {
                gauge = put(SeriesName.encode(name, d.labelNames(), h.labelValues()), histogramValue(d, h));
            } else if (previous.series(at) != h && !h.equals(previous.series(at))) {
                gauge.set(histogramValue(d, h));
            }
            mark(gauge, current, gauges, offset + i);
        }
        return gauges;
    }

    private static void mark(SnapshotGauge gauge, long current, SnapshotGauge[] gauges, int index) {
        if (gauge != null) {
            gauge.generation = current;
            gauges[index] = gauge;
        }
    }

    private static HistogramValue histogramValue(MetricDescriptor d, HistogramSample h) {
        return new HistogramValue(d.bucketCounts(h), h.sum(), h.count());
    }

    private record BridgedFamily(MetricFamily family, SnapshotGauge[] gauges) {
    }

    /** Number of series currently bridged. */
    public int size() {
        return registered.size();
    }

    /** Registers a gauge for a series new to the bridge; null if the name is taken by something else. */
    private SnapshotGauge put(String name, Object value) {
        SnapshotGauge gauge = registered.get(name);
        if (gauge == null) {
            gauge = new SnapshotGauge(name, value);
            try {
                metrics.register(name, gauge);
            } catch (IllegalArgumentException e) {
                LOG.warn("Metric {} is already registered by something else; not bridging it", name);
                return null;
            }
            registered.put(name, gauge);
        } else {
            gauge.set(value);
        }
        return gauge;
    }
}
