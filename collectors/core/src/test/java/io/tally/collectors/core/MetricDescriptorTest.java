package io.tally.collectors.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class MetricDescriptorTest {

    @Test
    void rejectsNamesPrometheusWouldReject() {
        assertThatThrownBy(() -> MetricDescriptor.gauge("1bad", "h", "")).hasMessageContaining("1bad");
        assertThatThrownBy(() -> MetricDescriptor.gauge("ok", "h", "", "bad-label")).hasMessageContaining("bad-label");
        assertThatThrownBy(() -> MetricDescriptor.counter("x_total", "h", "")).hasMessageContaining("_total");
        assertThatThrownBy(() -> MetricDescriptor.gauge("x_latency", "h", "seconds")).hasMessageContaining("unit");
        assertThatThrownBy(() -> MetricDescriptor.gauge("x", " ", "")).hasMessageContaining("help");
        assertThatThrownBy(() -> MetricDescriptor.histogram("h_seconds", "h", "seconds", new double[] {1, 1}))
                .hasMessageContaining("increase");
    }

    @Test
    void histogramBucketsAreCumulativeWithInf() {
        MetricDescriptor d = MetricDescriptor.histogram("h_seconds", "h", "seconds", new double[] {0.1, 1});
        BucketHistogram h = new BucketHistogram(d);
        h.observe(0.05);
        h.observe(0.1);
        h.observe(0.5);
        h.observe(7);
        assertThat(h.cumulativeCounts()).containsExactly(2, 3, 4);
        assertThat(h.sum()).isEqualTo(7.65);
        assertThat(d.bucketLabel(0)).isEqualTo("0.1");
        assertThat(d.bucketLabel(2)).isEqualTo("+Inf");
    }

    @Test
    void bucketCountsAreKeyedByLeLabelInBoundOrder() {
        MetricDescriptor d = MetricDescriptor.histogram("h_seconds", "h", "seconds", new double[] {0.1, 1, 10});
        HistogramSample sample = new HistogramSample(List.of(), new long[] {2, 3, 3, 4}, 7.65);
        assertThat(d.bucketCounts(sample)).containsExactly(entry("0.1", 2L), entry("1.0", 3L),
                entry("10.0", 3L), entry("+Inf", 4L));
    }
}
