package io.tally.app.exposition;

import com.codahale.metrics.Clock;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import jakarta.inject.Inject;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code /metrics}: the snapshot's families (rendered once per snapshot and format, then
 * reused byte for byte until the next snapshot; a family that is the same object as in the previous
 * snapshot keeps its bytes, and a changed family references those of its unchanged series and writes
 * only the changed ones, see {@link FamilyText}), then the few values that change between scrapes
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
    /** The families of the last render in each format, by name, with their text. */
    private volatile Map<String, FamilyText> lastText = Map.of();
    private volatile Map<String, FamilyText> lastOpenMetrics = Map.of();

    @Inject
    public ExpositionRenderer(CollectorRegistry prometheus, Clock clock) {
        this.prometheus = prometheus;
        this.clock = clock;
    }

    public void render(Snapshot snapshot, ExpositionFormat format, OutputStream response) throws IOException {
        // The families come as many slices, most of them a few lines long; gathered here so the
        // response stream sees few writes (long slices pass straight through).
        OutputStream out = new BufferedOutputStream(response, 64 * 1024);
        snapshotPart(snapshot, format).writeTo(out);
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
    public SnapshotPart snapshotPart(Snapshot snapshot, ExpositionFormat format) {
        Rendered current = cache;
        if (current.sequence != snapshot.sequence()) {
            current = new Rendered(snapshot.sequence(), null, null);
        }
        SnapshotPart part = current.get(format);
        if (part == null) {
            part = render(snapshot.families(), format);
            current = current.with(format, part);
            // Racing scrapes may both render; either result is the same bytes.
            cache = current;
        }
        return part;
    }

    /**
     * Each family's text, reusing the bytes of a family that is the same object as in the previous
     * render (its collector's state did not change), and of each unchanged series of one that changed.
     */
    private SnapshotPart render(List<MetricFamily> families, ExpositionFormat format) {
        Map<String, FamilyText> previous = format == ExpositionFormat.OPENMETRICS ? lastOpenMetrics : lastText;
        Map<String, FamilyText> next = new HashMap<>(families.size() * 2);
        FamilyText[] parts = new FamilyText[families.size()];
        // Grows to about FamilyText.CHUNK when many series changed; small when only the engine's own
        // family did (a collection from cached state), where a large buffer would be most of the cost.
        StringBuilder scratch = new StringBuilder(1024);
        for (int i = 0; i < parts.length; i++) {
            MetricFamily family = families.get(i);
            FamilyText before = previous.get(family.name());
            FamilyText text = before != null && before.family == family ? before
                    : FamilyText.render(family, format, before, scratch);
            next.put(family.name(), text);
            parts[i] = text;
        }
        // Racing renders may each publish their map; any of them holds correct bytes for its families.
        if (format == ExpositionFormat.OPENMETRICS) {
            lastOpenMetrics = next;
        } else {
            lastText = next;
        }
        return new SnapshotPart(parts);
    }

    private record Rendered(long sequence, SnapshotPart text, SnapshotPart openMetrics) {
        SnapshotPart get(ExpositionFormat format) {
            return format == ExpositionFormat.OPENMETRICS ? openMetrics : text;
        }

        Rendered with(ExpositionFormat format, SnapshotPart part) {
            return format == ExpositionFormat.OPENMETRICS ? new Rendered(sequence, text, part)
                    : new Rendered(sequence, part, openMetrics);
        }
    }
}
