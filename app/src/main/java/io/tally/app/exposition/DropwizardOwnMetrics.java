package io.tally.app.exposition;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.MetricRegistryListener;
import com.codahale.metrics.Timer;
import io.tally.app.metrics.SnapshotMetricsBridge;

/**
 * A registry that mirrors only Dropwizard's own metrics (Jetty, Jersey, Logback, ...) from the
 * app's registry, kept in step by a listener. {@code DropwizardExports} reads this one: reading the
 * app's registry would walk every bridged snapshot series on every scrape only to filter them out
 * (tens of thousands at 1 000 targets).
 */
final class DropwizardOwnMetrics implements MetricRegistryListener {
    private final MetricRegistry own = new MetricRegistry();
    private final MetricFilter wanted;

    private DropwizardOwnMetrics(MetricFilter wanted) {
        this.wanted = wanted;
    }

    static MetricRegistry mirror(MetricRegistry source) {
        MetricFilter wanted = (name, metric) ->
                !SnapshotMetricsBridge.BRIDGED.matches(name, metric) && !name.startsWith("jvm.");
        DropwizardOwnMetrics mirror = new DropwizardOwnMetrics(wanted);
        source.addListener(mirror);
        return mirror.own;
    }

    private void add(String name, com.codahale.metrics.Metric metric) {
        if (wanted.matches(name, metric)) {
            own.remove(name);
            own.register(name, metric);
        }
    }

    @Override
    public void onGaugeAdded(String name, Gauge<?> gauge) {
        add(name, gauge);
    }

    @Override
    public void onGaugeRemoved(String name) {
        own.remove(name);
    }

    @Override
    public void onCounterAdded(String name, Counter counter) {
        add(name, counter);
    }

    @Override
    public void onCounterRemoved(String name) {
        own.remove(name);
    }

    @Override
    public void onHistogramAdded(String name, Histogram histogram) {
        add(name, histogram);
    }

    @Override
    public void onHistogramRemoved(String name) {
        own.remove(name);
    }

    @Override
    public void onMeterAdded(String name, Meter meter) {
        add(name, meter);
    }

    @Override
    public void onMeterRemoved(String name) {
        own.remove(name);
    }

    @Override
    public void onTimerAdded(String name, Timer timer) {
        add(name, timer);
    }

    @Override
    public void onTimerRemoved(String name) {
        own.remove(name);
    }
}
