package io.tally.app.metrics;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.tally.collectors.core.HistogramSample;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.MetricType;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.SnapshotListener;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes every series of each published snapshot a metric of the app's {@link MetricRegistry}, so
 * the admin {@code /metrics} JSON and any Dropwizard reporter see it, and removes series that
 * vanished from the snapshot (a target removed). Runs on the collecting thread only.
 */
@jakarta.inject.Singleton
public final class SnapshotMetricsBridge implements SnapshotListener {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotMetricsBridge.class);

    /** Selects what the bridge put in a registry, e.g. to keep it out of DropwizardExports. */
    public static final MetricFilter BRIDGED = (name, metric) -> metric instanceof SnapshotGauge;

    private final MetricRegistry metrics;
    private final Map<String, SnapshotGauge> registered = new HashMap<>();
    private long generation;

    @Inject
    public SnapshotMetricsBridge(MetricRegistry metrics) {
        this.metrics = metrics;
    }

    @Override
    public void published(Snapshot snapshot) {
        long current = ++generation;
        for (MetricFamily family : snapshot.families()) {
            MetricDescriptor d = family.descriptor();
            String name = d.type() == MetricType.COUNTER ? d.name() + "_total" : d.name();
            for (Sample sample : family.samples()) {
                put(SeriesName.encode(name, d.labelNames(), sample.labelValues()), sample.value(), current);
            }
            for (HistogramSample h : family.histograms()) {
                Map<String, Long> buckets = new LinkedHashMap<>();
                for (int i = 0; i < h.buckets(); i++) {
                    buckets.put(d.bucketLabel(i), h.bucket(i));
                }
                put(SeriesName.encode(name, d.labelNames(), h.labelValues()),
                        new HistogramValue(buckets, h.sum(), h.count()), current);
            }
        }
        Iterator<Map.Entry<String, SnapshotGauge>> it = registered.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, SnapshotGauge> entry = it.next();
            if (entry.getValue().generation != current) {
                metrics.remove(entry.getKey());
                it.remove();
            }
        }
    }

    /** Number of series currently bridged. */
    public int size() {
        return registered.size();
    }

    private void put(String name, Object value, long current) {
        SnapshotGauge gauge = registered.get(name);
        if (gauge == null) {
            gauge = new SnapshotGauge(value);
            try {
                metrics.register(name, gauge);
            } catch (IllegalArgumentException e) {
                LOG.warn("Metric {} is already registered by something else; not bridging it", name);
                return;
            }
            registered.put(name, gauge);
        } else {
            gauge.set(value);
        }
        gauge.generation = current;
    }
}
