package io.tally.app.exposition;

import com.codahale.metrics.MetricFilter;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.hotspot.ClassLoadingExports;
import io.prometheus.client.hotspot.GarbageCollectorExports;
import io.prometheus.client.hotspot.MemoryPoolsExports;
import io.prometheus.client.hotspot.StandardExports;
import io.prometheus.client.hotspot.ThreadExports;

/**
 * What besides the snapshot {@code /metrics} shows, registered in the simpleclient registry:
 * process and JVM metrics with the labels Prometheus users know ({@code pool}, {@code area}),
 * and Dropwizard's server, Jetty and logging metrics through {@link DropwizardExports}. Dropwizard's
 * {@code jvm.*} gauges are left out there because the hotspot exports already say the same with
 * labels, and the snapshot series are left out because Tally's own writer exports them typed.
 */
public final class PrometheusExports {
    private PrometheusExports() {
    }

    public static void register(CollectorRegistry prometheus, MetricRegistry metrics) {
        new StandardExports().register(prometheus);
        new MemoryPoolsExports().register(prometheus);
        new ThreadExports().register(prometheus);
        new GarbageCollectorExports().register(prometheus);
        new ClassLoadingExports().register(prometheus);
        new DropwizardExports(DropwizardOwnMetrics.mirror(metrics), MetricFilter.ALL, new SnakeCaseSampleBuilder())
                .register(prometheus);
    }
}
