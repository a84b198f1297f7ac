package io.tally.app.exposition;

import com.codahale.metrics.Clock;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Renders {@code /metrics}: the snapshot's families (rendered once per snapshot and format, then
 * reused byte for byte until the next snapshot), then the few values that change between scrapes
 * (snapshot age, uptime), then the JVM, process, server and request metrics of the simpleclient
 * registry. OpenMetrics ends with {@code # EOF}, written by simpleclient's writer.
 */
@jakarta.inject.Singleton
public final class ExpositionRenderer {
    static final MetricDescriptor SNAPSHOT_AGE = MetricDescriptor.gauge("tally_snapshot_age_seconds",
            "Age of the snapshot this scrape was served from.", "seconds");
    static final MetricDescriptor UPTIME = MetricDescriptor.gauge("process_uptime_seconds",
            "Time since the Tally process started.", "seconds");

    private final CollectorRegistry prometheus;
    private final Clock clock;
    private volatile Rendered cache = new Rendered(-1, null, null);

    @Inject
    public ExpositionRenderer(CollectorRegistry prometheus, Clock clock) {
        this.prometheus = prometheus;
        this.clock = clock;
    }

    public void render(Snapshot snapshot, ExpositionFormat format, OutputStream out) throws IOException {
        out.write(snapshotPart(snapshot, format));
        StringBuilder live = new StringBuilder(256);
        double age = snapshot.age(clock.getTick()).toNanos() / 1e9;
        SnapshotTextWriter.writeFamily(new MetricFamily(SNAPSHOT_AGE, List.of(new Sample(List.of(), age)), List.of()),
                format, live);
        double uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
        SnapshotTextWriter.writeFamily(new MetricFamily(UPTIME, List.of(new Sample(List.of(), uptime)), List.of()),
                format, live);
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        writer.append(live);
        if (format == ExpositionFormat.OPENMETRICS) {
            TextFormat.writeOpenMetrics100(writer, prometheus.metricFamilySamples());
        } else {
            TextFormat.write004(writer, prometheus.metricFamilySamples());
        }
        writer.flush();
    }

    /** The snapshot's families in {@code format}; computed at most once per snapshot and format. */
    public byte[] snapshotPart(Snapshot snapshot, ExpositionFormat format) {
        Rendered current = cache;
        if (current.sequence != snapshot.sequence()) {
            current = new Rendered(snapshot.sequence(), null, null);
        }
        byte[] bytes = current.get(format);
        if (bytes == null) {
            StringBuilder text = new StringBuilder(Math.max(1024, snapshot.seriesCount() * 96));
            SnapshotTextWriter.write(snapshot.families(), format, text);
            bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            current = current.with(format, bytes);
            // Racing scrapes may both render; either result is the same bytes.
            cache = current;
        }
        return bytes;
    }

    private record Rendered(long sequence, byte[] text, byte[] openMetrics) {
        byte[] get(ExpositionFormat format) {
            return format == ExpositionFormat.OPENMETRICS ? openMetrics : text;
        }

        Rendered with(ExpositionFormat format, byte[] bytes) {
            return format == ExpositionFormat.OPENMETRICS ? new Rendered(sequence, text, bytes)
                    : new Rendered(sequence, bytes, openMetrics);
        }
    }
}
