package io.tally.app.exposition;

import com.codahale.metrics.Clock;
import io.prometheus.client.CollectorRegistry;
import io.tally.collectors.core.HistogramSample;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.TargetIndex;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A family's text kept as slices of earlier renders: the same bytes as a render from scratch, in bounded memory. */
class FamilyTextTest {
    private static final MetricDescriptor UP = MetricDescriptor.gauge("test_up", "Up \"now\".\nOr not.", "", "target");
    private static final MetricDescriptor CHECKS = MetricDescriptor.counter("test_checks", "Checks.", "", "target",
            "class");
    private static final MetricDescriptor LATENCY = MetricDescriptor.histogram("test_latency_seconds", "Latency.",
            "seconds", new double[] {0.1, 1.0}, "target");
    private static final MetricDescriptor QUEUE = MetricDescriptor.gauge("test_queue_depth_messages", "Depth.",
            "messages");
    /** Label values with ASCII, two-, three- and four-byte UTF-8, escapes and a surrogate without its pair. */
    private static final String[] ODD = {"", "-é", "-\"q\\\n", "-€", "-😀", "-\uD800x", "-x\uDC00"};

    private static Snapshot snapshot(long sequence, List<MetricFamily> families) {
        return new Snapshot(sequence, Instant.EPOCH, 0, Duration.ZERO, List.of(), families, TargetIndex.EMPTY);
    }

    private static byte[] fromScratch(List<MetricFamily> families, ExpositionFormat format) {
        StringBuilder text = new StringBuilder();
        SnapshotTextWriter.write(families, format, text);
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(FamilyText text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        text.writeTo(out);
        return out.toByteArray();
    }

    /**
     * Bytes as chars one for one, so they compare byte for byte (not as decoded text) and a failure
     * shows where they differ.
     */
    private static String exactly(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** A family's series as the test changes them: by position, so moves are possible. */
    private static final class Versions {
        final Random random;
        final List<Sample> up = new ArrayList<>();
        final List<Sample> checks = new ArrayList<>();
        final List<HistogramSample> latency = new ArrayList<>();
        int names;

        Versions(Random random, int targets) {
            this.random = random;
            for (int i = 0; i < targets; i++) {
                up.add(new Sample(List.of(name()), 1));
                checks.add(new Sample(List.of(name(), "ok"), i));
                latency.add(histogram(name()));
            }
        }

        String name() {
            int n = names++;
            return "target-" + n + ODD[n % ODD.length];
        }

        HistogramSample histogram(String target) {
            long n = random.nextInt(100);
            return new HistogramSample(List.of(target), new long[] {n, n + random.nextInt(3), n + 5},
                    random.nextInt(1000) / 8.0);
        }

        /** Each series in turn: changed, removed, or an added one before it, at these odds; else left as it is. */
        void step(int changePercent) {
            sampleStep(up, changePercent, false);
            sampleStep(checks, changePercent, true);
            for (int i = 0; i < latency.size(); i++) {
                int roll = random.nextInt(100);
                if (roll < changePercent) {
                    latency.set(i, histogram(latency.get(i).labelValues().get(0)));
                } else if (roll < changePercent + 2) {
                    latency.remove(i);
                } else if (roll < changePercent + 4) {
                    latency.add(i, histogram(name()));
                }
            }
            if (random.nextInt(10) == 0 && up.size() > 1) {
                // a series moved: found by its labels, not its position
                up.add(random.nextInt(up.size()), up.remove(random.nextInt(up.size())));
            }
        }

        private void sampleStep(List<Sample> series, int changePercent, boolean twoLabels) {
            for (int i = 0; i < series.size(); i++) {
                int roll = random.nextInt(100);
                Sample s = series.get(i);
                if (roll < changePercent) {
                    double value = random.nextBoolean() ? random.nextInt(50) : random.nextDouble() * 1e6;
                    series.set(i, new Sample(s.labelValues(), value));
                } else if (roll < changePercent + 2) {
                    series.remove(i);
                } else if (roll < changePercent + 4) {
                    series.add(i, new Sample(twoLabels ? List.of(name(), "timeout") : List.of(name()), 0.5));
                } else if (roll < changePercent + 6) {
                    // an equal series in a new object: kept, as the collectors' copies are
                    series.set(i, new Sample(List.copyOf(s.labelValues()), s.value()));
                }
            }
        }

        List<MetricFamily> families(int round) {
            List<MetricFamily> families = new ArrayList<>();
            families.add(new MetricFamily(UP, List.copyOf(up), List.of()));
            if (round % 7 != 3) {
                // a family that comes and goes
                families.add(new MetricFamily(CHECKS, List.copyOf(checks), List.of()));
            }
            families.add(new MetricFamily(LATENCY, List.of(), List.copyOf(latency)));
            families.add(new MetricFamily(QUEUE, List.of(new Sample(List.of(), round % 3)), List.of()));
            return families;
        }
    }

    @Test
    void successiveRendersWithSeriesUnchangedChangedAddedAndRemovedAreTheBytesOfARenderFromScratch() {
        for (ExpositionFormat format : ExpositionFormat.values()) {
            Random random = new Random(20261202L);
            ExpositionRenderer renderer = new ExpositionRenderer(new CollectorRegistry(), Clock.defaultClock());
            Versions versions = new Versions(random, 200);
            List<MetricFamily> last = null;
            for (int round = 0; round < 120; round++) {
                versions.step(new int[] {0, 1, 10, 50, 100}[random.nextInt(5)]);
                List<MetricFamily> families = versions.families(round);
                if (last != null && random.nextInt(5) == 0) {
                    // a family whose collector's state did not change is the same object
                    families.set(0, last.get(0));
                }
                Snapshot snapshot = snapshot(round, families);
                assertThat(exactly(renderer.snapshotPart(snapshot, format).toByteArray()))
                        .as("round %d in %s", round, format).isEqualTo(exactly(fromScratch(families, format)));
                assertThat(renderer.snapshotPart(snapshot, format).length())
                        .isEqualTo(fromScratch(families, format).length);
                last = families;
            }
        }
    }

    @Test
    void aChangedSeriesCostsItsOwnBytesAndTheRestIsReferencedWhereItWas() throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            samples.add(new Sample(List.of("target-" + i), i));
        }
        MetricFamily first = new MetricFamily(UP, samples, List.of());
        FamilyText before = FamilyText.render(first, ExpositionFormat.PROMETHEUS_TEXT, null, new StringBuilder());
        assertThat(before.chunkCount()).isEqualTo(1);

        samples.set(500, new Sample(List.of("target-500"), 7.5));
        MetricFamily second = new MetricFamily(UP, samples, List.of());
        FamilyText after = FamilyText.render(second, ExpositionFormat.PROMETHEUS_TEXT, before, new StringBuilder());

        String line = "test_up{target=\"target-500\"} 7.5\n";
        assertThat(after.chunkCount()).isEqualTo(2);
        assertThat(after.referencedBytes() - before.referencedBytes()).isEqualTo(line.length());
        assertThat(exactly(bytes(after)))
                .isEqualTo(exactly(fromScratch(List.of(second), ExpositionFormat.PROMETHEUS_TEXT)));
    }

    @Test
    void compactionKeepsTheReferencedBytesWithinTwiceTheTextOverManyRounds() throws IOException {
        for (ExpositionFormat format : ExpositionFormat.values()) {
            Random random = new Random(7L);
            Versions versions = new Versions(random, 150);
            FamilyText up = null;
            FamilyText latency = null;
            StringBuilder scratch = new StringBuilder();
            int compactions = 0;
            for (int round = 0; round < 200; round++) {
                versions.step(random.nextInt(3) == 0 ? 30 : 5);
                List<MetricFamily> families = versions.families(round);
                FamilyText lastUp = up;
                up = FamilyText.render(families.get(0), format, up, scratch);
                latency = FamilyText.render(families.get(families.size() - 2), format, latency, scratch);
                for (FamilyText text : List.of(up, latency)) {
                    assertThat(text.referencedBytes()).as("round %d", round)
                            .isLessThanOrEqualTo(FamilyText.MAX_REFERENCED_PER_LIVE * text.length());
                    assertThat(exactly(bytes(text))).isEqualTo(exactly(fromScratch(List.of(text.family), format)));
                }
                if (lastUp != null && lastUp.chunkCount() > 1 && up.chunkCount() == 1) {
                    compactions++;
                }
            }
            // without compaction the slices of 200 rounds would keep every round's chunk reachable
            assertThat(compactions).as("compactions in %s", format).isGreaterThan(10);
        }
    }

    @Test
    void utf8LengthCountsAsStringGetBytesEncodes() {
        for (String s : new String[] {"plain", "é", "€uro", "😀 smile", "lone \uD800 high", "lone \uDC00 low",
                "\uD800", "end \uD83D", "\uDE00 start", "mixed é€😀\uD800\n"}) {
            assertThat(FamilyText.utf8Length(s, 0, s.length())).as(s)
                    .isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }
}
