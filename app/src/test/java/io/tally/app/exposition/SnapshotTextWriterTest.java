package io.tally.app.exposition;

import io.tally.collectors.core.HistogramSample;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotTextWriterTest {
    private static final List<MetricFamily> FAMILIES = List.of(
            new MetricFamily(MetricDescriptor.counter("tally_checks", "Checks made.\nBy \"target\" \\ class.", "",
                    "target", "class"),
                    List.of(new Sample(List.of("slack-prod", "timeout"), 3), new Sample(List.of("a\"b\\c\nd", "ok"), 0.5)),
                    List.of()),
            new MetricFamily(MetricDescriptor.gauge("tally_up", "Up.", ""), List.of(new Sample(List.of(), 1)), List.of()),
            new MetricFamily(MetricDescriptor.histogram("tally_latency_seconds", "Latency.", "seconds",
                    new double[] {0.1, 1}, "target"), List.of(),
                    List.of(new HistogramSample(List.of("x"), new long[] {1, 3, 4}, 7.25))));

    @Test
    void prometheusTextFormat() {
        StringBuilder out = new StringBuilder();
        SnapshotTextWriter.write(FAMILIES, ExpositionFormat.PROMETHEUS_TEXT, out);
        assertThat(out.toString()).isEqualTo("""
                # HELP tally_checks_total Checks made.\\nBy "target" \\\\ class.
                # TYPE tally_checks_total counter
                tally_checks_total{target="slack-prod",class="timeout"} 3
                tally_checks_total{target="a\\"b\\\\c\\nd",class="ok"} 0.5
                # HELP tally_up Up.
                # TYPE tally_up gauge
                tally_up 1
                # HELP tally_latency_seconds Latency.
                # TYPE tally_latency_seconds histogram
                tally_latency_seconds_bucket{target="x",le="0.1"} 1
                tally_latency_seconds_bucket{target="x",le="1.0"} 3
                tally_latency_seconds_bucket{target="x",le="+Inf"} 4
                tally_latency_seconds_count{target="x"} 4
                tally_latency_seconds_sum{target="x"} 7.25
                """);
    }

    @Test
    void openMetricsFormat() {
        StringBuilder out = new StringBuilder();
        SnapshotTextWriter.write(FAMILIES, ExpositionFormat.OPENMETRICS, out);
        assertThat(out.toString()).isEqualTo("""
                # HELP tally_checks Checks made.\\nBy \\"target\\" \\\\ class.
                # TYPE tally_checks counter
                tally_checks_total{target="slack-prod",class="timeout"} 3
                tally_checks_total{target="a\\"b\\\\c\\nd",class="ok"} 0.5
                # HELP tally_up Up.
                # TYPE tally_up gauge
                tally_up 1
                # HELP tally_latency_seconds Latency.
                # TYPE tally_latency_seconds histogram
                # UNIT tally_latency_seconds seconds
                tally_latency_seconds_bucket{target="x",le="0.1"} 1
                tally_latency_seconds_bucket{target="x",le="1.0"} 3
                tally_latency_seconds_bucket{target="x",le="+Inf"} 4
                tally_latency_seconds_count{target="x"} 4
                tally_latency_seconds_sum{target="x"} 7.25
                """);
    }

    @Test
    void histogramsWithoutLabelsAndWithLabelsToEscape() {
        StringBuilder out = new StringBuilder();
        SnapshotTextWriter.write(List.of(
                new MetricFamily(MetricDescriptor.histogram("tally_wait_seconds", "Wait.", "seconds",
                        new double[] {0.5}), List.of(),
                        List.of(new HistogramSample(List.of(), new long[] {2, 5}, 1.5))),
                new MetricFamily(MetricDescriptor.histogram("tally_hop_seconds", "Hop.", "seconds",
                        new double[] {1}, "from", "to"), List.of(),
                        List.of(new HistogramSample(List.of("a\"b", "c\\d\né"), new long[] {0, 1}, 0.25)))),
                ExpositionFormat.PROMETHEUS_TEXT, out);
        assertThat(out.toString()).isEqualTo("""
                # HELP tally_wait_seconds Wait.
                # TYPE tally_wait_seconds histogram
                tally_wait_seconds_bucket{le="0.5"} 2
                tally_wait_seconds_bucket{le="+Inf"} 5
                tally_wait_seconds_count 5
                tally_wait_seconds_sum 1.5
                # HELP tally_hop_seconds Hop.
                # TYPE tally_hop_seconds histogram
                tally_hop_seconds_bucket{from="a\\"b",to="c\\\\d\\né",le="1.0"} 0
                tally_hop_seconds_bucket{from="a\\"b",to="c\\\\d\\né",le="+Inf"} 1
                tally_hop_seconds_count{from="a\\"b",to="c\\\\d\\né"} 1
                tally_hop_seconds_sum{from="a\\"b",to="c\\\\d\\né"} 0.25
                """);
    }

    @Test
    void numbersAreWrittenAsPrometheusReadsThem() {
        StringBuilder out = new StringBuilder();
        for (double v : new double[] {0, -2, 1e20, 0.001, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY}) {
            SnapshotTextWriter.number(v, out);
            out.append(' ');
        }
        assertThat(out.toString()).isEqualTo("0 -2 1.0E20 0.001 NaN +Inf -Inf ");
    }

    @Test
    void acceptHeaderNegotiation() {
        String prometheus = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
                + "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
        assertThat(ExpositionFormat.negotiate(prometheus)).isEqualTo(ExpositionFormat.OPENMETRICS);
        assertThat(ExpositionFormat.negotiate("application/openmetrics-text; version=1.0.0"))
                .isEqualTo(ExpositionFormat.OPENMETRICS);
        assertThat(ExpositionFormat.negotiate("text/plain;version=0.0.4;q=1,application/openmetrics-text;q=0.5"))
                .isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
        assertThat(ExpositionFormat.negotiate(null)).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
        assertThat(ExpositionFormat.negotiate("*/*")).isEqualTo(ExpositionFormat.PROMETHEUS_TEXT);
    }
}
