package io.tally.app.trends;

import io.prometheus.client.Collector;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricType;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/**
 * The trend store's own metrics in {@code /metrics}: its size (counted once per recorded snapshot,
 * not on every scrape), refused and evicted series, and whether the history reaches the disk.
 */
@jakarta.inject.Singleton
public final class TrendMetrics extends Collector {
    private static final MetricDescriptor STORE_BYTES = MetricDescriptor.gauge("tally_trend_store_bytes",
            "Memory held by trend history (compressed points and keys).", "");
    private static final MetricDescriptor SERIES = MetricDescriptor.gauge("tally_trend_series",
            "Series in the trend store.", "");
    private static final MetricDescriptor POINTS = MetricDescriptor.gauge("tally_trend_points",
            "Points held in the trend store.", "");
    private static final MetricDescriptor SERIES_REFUSED = MetricDescriptor.counter("tally_trend_series_refused",
            "Series not recorded because the store held trends.maxSeries and none was idle for trends.evictAfter.", "");
    private static final MetricDescriptor SERIES_EVICTED = MetricDescriptor.counter("tally_trend_series_evicted",
            "Series dropped, least recently appended first, to make room for new ones once trends.maxSeries was "
                    + "reached.", "");
    private static final MetricDescriptor FLUSH_FAILURES = MetricDescriptor.counter("tally_trend_flush_failures",
            "Writes of trend history to trends.dataDir that failed; the history stays in memory.", "");
    private static final MetricDescriptor FLUSH_FAILING = MetricDescriptor.gauge("tally_trend_flush_failing",
            "1 while the latest write of trend history failed, else 0.", "");
    private static final MetricDescriptor LAST_FLUSH = MetricDescriptor.gauge("tally_trend_last_flush_timestamp_seconds",
            "When trend history was last written to disk successfully.", "");

    private final TrendRecorder recorder;

    @Inject
    public TrendMetrics(TrendRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples> out = new ArrayList<>();
        TrendRecorder.StoreSize size = recorder.storeSize();
        TrendStore store = recorder.store();
        out.add(family(STORE_BYTES, size.bytes()));
        out.add(family(SERIES, size.series()));
        out.add(family(POINTS, size.points()));
        out.add(family(SERIES_REFUSED, store.refused()));
        out.add(family(SERIES_EVICTED, store.evicted()));
        out.add(family(FLUSH_FAILURES, recorder.flushFailures()));
        out.add(family(FLUSH_FAILING, recorder.flushFailing() ? 1 : 0));
        long lastFlush = recorder.lastFlushMillis();
        if (lastFlush > 0) {
            // Absent until the first flush: a 0 would read as "written in 1970".
            out.add(family(LAST_FLUSH, lastFlush / 1000.0));
        }
        return out;
    }

    /** One unlabelled series; no unit, so no UNIT line. */
    private static MetricFamilySamples family(MetricDescriptor d, double value) {
        return new MetricFamilySamples(d.name(), d.type() == MetricType.COUNTER ? Type.COUNTER : Type.GAUGE, d.help(),
                List.of(new MetricFamilySamples.Sample(d.sampleName(), List.of(), List.of(), value)));
    }
}
