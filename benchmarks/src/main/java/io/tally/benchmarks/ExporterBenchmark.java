package io.tally.benchmarks;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.client.Collector;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.dropwizard.samplebuilder.SampleBuilder;
import io.prometheus.client.exporter.common.TextFormat;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tally.app.exposition.ExpositionFormat;
import io.tally.app.exposition.SnapshotTextWriter;
import io.tally.app.metrics.SeriesName;
import io.tally.app.metrics.SnapshotMetricsBridge;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Rendering the same series as Prometheus text, side by side:
 * <ul>
 *   <li>{@code tally}: Tally's writer over the snapshot (what runs once per snapshot);</li>
 *   <li>{@code tallyCached}: a scrape between snapshots, which reuses those bytes;</li>
 *   <li>{@code dropwizardExports}: simpleclient_dropwizard over the same bridged MetricRegistry with a
 *       SampleBuilder that decodes Tally's labelled names, so the output is the same labelled families;</li>
 *   <li>{@code dropwizardExportsDefaultNames}: the stock DropwizardExports, one family per series;</li>
 *   <li>{@code clientJava1}: Prometheus client_java 1.x's text writer over prebuilt snapshots of the
 *       same series (its writing cost only).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExporterBenchmark {

    @Param({"1000", "10000"})
    public int series;

    private Snapshot snapshot;
    private io.tally.app.exposition.ExpositionRenderer renderer;
    private io.prometheus.client.CollectorRegistry labelledExports;
    private io.prometheus.client.CollectorRegistry defaultExports;
    private MetricSnapshots clientJava1Snapshots;
    private PrometheusTextFormatWriter clientJava1Writer;

    @Setup
    public void setUp() {
        snapshot = BenchmarkData.snapshot(series);
        MetricRegistry metrics = new MetricRegistry();
        new SnapshotMetricsBridge(metrics).published(snapshot);

        labelledExports = new io.prometheus.client.CollectorRegistry();
        new DropwizardExports(metrics, new DecodingSampleBuilder()).register(labelledExports);
        defaultExports = new io.prometheus.client.CollectorRegistry();
        new DropwizardExports(metrics).register(defaultExports);
        renderer = new io.tally.app.exposition.ExpositionRenderer(new io.prometheus.client.CollectorRegistry(),
                com.codahale.metrics.Clock.defaultClock());

        List<io.prometheus.metrics.model.snapshots.MetricSnapshot> snapshots = new ArrayList<>();
        for (MetricFamily family : snapshot.families()) {
            if (family.samples().isEmpty()) {
                continue;
            }
            GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(family.name()).help(family.descriptor().help());
            for (Sample sample : family.samples()) {
                gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                        .labels(Labels.of(family.descriptor().labelNames(), sample.labelValues()))
                        .value(sample.value()).build());
            }
            snapshots.add(gauge.build());
        }
        clientJava1Snapshots = new MetricSnapshots(snapshots);
        clientJava1Writer = PrometheusTextFormatWriter.create();
    }

    @Benchmark
    public byte[] tally() {
        StringBuilder out = new StringBuilder(snapshot.seriesCount() * 96);
        SnapshotTextWriter.write(snapshot.families(), ExpositionFormat.PROMETHEUS_TEXT, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public io.tally.app.exposition.SnapshotPart tallyCached() {
        return renderer.snapshotPart(snapshot, ExpositionFormat.PROMETHEUS_TEXT);
    }

    @Benchmark
    public byte[] dropwizardExports() throws IOException {
        return write004(labelledExports);
    }

    @Benchmark
    public byte[] dropwizardExportsDefaultNames() throws IOException {
        return write004(defaultExports);
    }

    @Benchmark
    public byte[] clientJava1() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(snapshot.seriesCount() * 96);
        clientJava1Writer.write(out, clientJava1Snapshots);
        return out.toByteArray();
    }

    private byte[] write004(io.prometheus.client.CollectorRegistry registry) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(snapshot.seriesCount() * 96);
        Writer writer = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
        TextFormat.write004(writer, registry.metricFamilySamples());
        writer.flush();
        return bytes.toByteArray();
    }

    /** Reads Tally's labelled metric names back into family and labels, as a user of DropwizardExports would. */
    static final class DecodingSampleBuilder implements SampleBuilder {
        @Override
        public Collector.MetricFamilySamples.Sample createSample(String dropwizardName, String nameSuffix,
                                                                 List<String> additionalLabelNames,
                                                                 List<String> additionalLabelValues, double value) {
            SeriesName name = SeriesName.decode(dropwizardName);
            List<String> labelNames = new ArrayList<>(name.labelNames());
            labelNames.addAll(additionalLabelNames);
            List<String> labelValues = new ArrayList<>(name.labelValues());
            labelValues.addAll(additionalLabelValues);
            return new Collector.MetricFamilySamples.Sample(name.family() + (nameSuffix == null ? "" : nameSuffix),
                    labelNames, labelValues, value);
        }
    }
}
