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

    private static String joined(SnapshotPart part) {
        return new String(part.toByteArray(), StandardCharsets.UTF_8);
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

    /**
     * Random versions of two families (series added, removed, moved, changed, copied unchanged;
     * label values beyond ASCII; a help text changed): every render equals a render from scratch.
     */
    @Test
    void aChangedFamilyRenderedFromItsLastTextEqualsOneRenderedAfresh() {
        MetricDescriptor latency = MetricDescriptor.histogram("test_latency_seconds", "Latency.", "seconds",
                new double[] {0.1, 1.0}, "target");
        MetricDescriptor upRenamedHelp = MetricDescriptor.gauge("test_up", "Up, now said otherwise.", "", "target");
        java.util.Random random = new java.util.Random(42);
        for (ExpositionFormat format : ExpositionFormat.values()) {
            ExpositionRenderer renderer = new ExpositionRenderer(new CollectorRegistry(), Clock.defaultClock());
            List<Sample> samples = new java.util.ArrayList<>();
            List<io.tally.collectors.core.HistogramSample> histograms = new java.util.ArrayList<>();
            for (int version = 1; version <= 200; version++) {
                int size = samples.size();
                switch (random.nextInt(6)) {
                    case 0 -> samples.add(random.nextInt(size + 1), new Sample(List.of("t" + version + (version % 3 == 0
                            ? "-é\"\\" : "")), version));
                    case 1 -> {
                        if (size > 0) {
                            samples.remove(random.nextInt(size));
                        }
                    }
                    case 2 -> {
                        if (size > 0) {
                            int at = random.nextInt(size);
                            samples.set(at, new Sample(samples.get(at).labelValues(), random.nextDouble()));
                        }
                    }
                    case 3 -> java.util.Collections.shuffle(samples, random);
                    case 4 -> {
                        long n = random.nextInt(5);
                        String target = "h" + random.nextInt(4);
                        histograms.removeIf(h -> h.labelValues().get(0).equals(target));
                        histograms.add(random.nextInt(histograms.size() + 1), new io.tally.collectors.core.HistogramSample(
                                List.of(target), new long[] {n, n + 1, n + 2}, n * 0.5));
                    }
                    default -> {
                        if (size > 0) {
                            int at = random.nextInt(size);
                            samples.set(at, new Sample(samples.get(at).labelValues(), samples.get(at).value()));
                        }
                    }
                }
                MetricFamily up = new MetricFamily(version > 150 ? upRenamedHelp : UP, samples, List.of());
                Snapshot s = snapshot(version, up, new MetricFamily(latency, List.of(), histograms));
                assertThat(joined(renderer.snapshotPart(s, format))).as("version %d in %s", version, format)
                        .isEqualTo(expected(s, format));
            }
        }
    }
}
