package io.tally.app.exposition;

import com.codahale.metrics.Clock;
import io.prometheus.client.CollectorRegistry;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.TargetIndex;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExpositionRendererTest {
    private static final MetricDescriptor UP = MetricDescriptor.gauge("test_up", "Up.", "", "target");
    private static final MetricDescriptor CHECKS = MetricDescriptor.counter("test_checks", "Checks.", "", "target");

    private static Snapshot snapshot(long sequence, MetricFamily... families) {
        return new Snapshot(sequence, Instant.EPOCH, 0, Duration.ZERO, List.of(), List.of(families), TargetIndex.EMPTY);
    }

    private static String joined(byte[][] parts) {
        StringBuilder all = new StringBuilder();
        for (byte[] part : parts) {
            all.append(new String(part, StandardCharsets.UTF_8));
        }
        return all.toString();
    }

    private static String expected(Snapshot snapshot, ExpositionFormat format) {
        StringBuilder text = new StringBuilder();
        SnapshotTextWriter.write(snapshot.families(), format, text);
        return text.toString();
    }

    @Test
    void aFamilyKeptFromTheLastSnapshotKeepsItsTextAndAChangedOneIsRenderedAgain() {
        ExpositionRenderer renderer = new ExpositionRenderer(new CollectorRegistry(), Clock.defaultClock());
        MetricFamily up = new MetricFamily(UP, List.of(new Sample(List.of("a"), 1)), List.of());
        MetricFamily checks = new MetricFamily(CHECKS, List.of(new Sample(List.of("a"), 5)), List.of());
        MetricFamily checksLater = new MetricFamily(CHECKS, List.of(new Sample(List.of("a"), 6)), List.of());

        for (ExpositionFormat format : ExpositionFormat.values()) {
            Snapshot first = snapshot(1, checks, up);
            Snapshot second = snapshot(2, checksLater, up);
            Snapshot third = snapshot(3, up);
            for (Snapshot s : List.of(first, second, third)) {
                String rendered = joined(renderer.snapshotPart(s, format));
                assertThat(rendered).isEqualTo(expected(s, format));
            }
            assertThat(joined(renderer.snapshotPart(second, format)))
                    .contains("test_checks_total{target=\"a\"} 6");
        }
    }
}
