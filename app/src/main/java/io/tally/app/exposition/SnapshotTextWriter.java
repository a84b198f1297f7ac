package io.tally.app.exposition;

import io.tally.app.metrics.SeriesName;
import io.tally.collectors.core.HistogramSample;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;

import java.util.List;

/**
 * Writes Tally's families in the Prometheus 0.0.4 text format or OpenMetrics 1.0, with their true
 * types, help and units, in one pass over the series: O(series), no intermediate sample objects.
 */
public final class SnapshotTextWriter {
    private SnapshotTextWriter() {
    }

    public static void write(List<MetricFamily> families, ExpositionFormat format, StringBuilder out) {
        for (MetricFamily family : families) {
            writeFamily(family, format, out);
        }
    }

    public static void writeFamily(MetricFamily family, ExpositionFormat format, StringBuilder out) {
        MetricDescriptor d = family.descriptor();
        writeHeader(d, format, out);
        String sampleName = d.sampleName();
        for (Sample sample : family.samples()) {
            writeSample(sampleName, d.labelNames(), sample, out);
        }
        for (HistogramSample h : family.histograms()) {
            writeHistogram(d, h, out);
        }
    }

    /** HELP, TYPE and (OpenMetrics) UNIT lines. */
    static void writeHeader(MetricDescriptor d, ExpositionFormat format, StringBuilder out) {
        boolean openMetrics = format == ExpositionFormat.OPENMETRICS;
        // OpenMetrics names a counter family without _total (its samples keep it); 0.0.4 names it as its samples.
        String familyName = openMetrics ? d.name() : d.sampleName();
        out.append("# HELP ").append(familyName).append(' ');
        escapeHelp(d.help(), openMetrics, out);
        out.append('\n');
        out.append("# TYPE ").append(familyName).append(' ').append(d.type().exposition()).append('\n');
        if (openMetrics && !d.unit().isEmpty()) {
            out.append("# UNIT ").append(familyName).append(' ').append(d.unit()).append('\n');
        }
    }

    /** One sample's line; the same in both formats. */
    static void writeSample(String sampleName, List<String> labelNames, Sample sample, StringBuilder out) {
        out.append(sampleName);
        labels(labelNames, sample.labelValues(), out);
        out.append(' ');
        number(sample.value(), out);
        out.append('\n');
    }

    /**
     * One histogram series' bucket, count and sum lines; the same in both formats. The series' own
     * labels are the same on every line, so they are escaped once and copied onto the others.
     */
    static void writeHistogram(MetricDescriptor d, HistogramSample h, StringBuilder out) {
        List<String> labelNames = d.labelNames();
        boolean labelled = !labelNames.isEmpty();
        out.append(d.name()).append("_bucket");
        int from = out.length();
        out.append('{');
        labelPairs(labelNames, h.labelValues(), out);
        // "{name="value",..." without its closing brace, or "{" for a series without labels
        String open = out.substring(from);
        for (int i = 0; i < h.buckets(); i++) {
            if (i > 0) {
                out.append(d.name()).append("_bucket").append(open);
            }
            if (labelled) {
                out.append(',');
            }
            out.append("le=\"").append(d.bucketLabel(i)).append("\"}");
            out.append(' ').append(h.bucket(i)).append('\n');
        }
        out.append(d.name()).append("_count");
        if (labelled) {
            out.append(open).append('}');
        }
        out.append(' ').append(h.count()).append('\n');
        out.append(d.name()).append("_sum");
        if (labelled) {
            out.append(open).append('}');
        }
        out.append(' ');
        number(h.sum(), out);
        out.append('\n');
    }

    /** A sample's labels, {@code {name="value",...}}, or nothing when it has none. */
    private static void labels(List<String> names, List<String> values, StringBuilder out) {
        if (names.isEmpty()) {
            return;
        }
        out.append('{');
        labelPairs(names, values, out);
        out.append('}');
    }

    private static void labelPairs(List<String> names, List<String> values, StringBuilder out) {
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(names.get(i)).append("=\"");
            escapeLabelValue(values.get(i), out);
            out.append('"');
        }
    }

    /** Most values need no escaping, and are then appended in one copy rather than char by char. */
    private static void escapeLabelValue(String value, StringBuilder out) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '"' || c == '\n') {
                SeriesName.escapeLabelValue(value, out);
                return;
            }
        }
        out.append(value);
    }

    /** Integers without a fraction, everything else as Java's shortest round-trip form. */
    static void number(double value, StringBuilder out) {
        if (value == (long) value && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else if (Double.isNaN(value)) {
            out.append("NaN");
        } else if (Double.isInfinite(value)) {
            out.append(value > 0 ? "+Inf" : "-Inf");
        } else {
            out.append(value);
        }
    }

    private static void escapeHelp(String help, boolean openMetrics, StringBuilder out) {
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '"' && openMetrics) {
                out.append("\\\"");
            } else {
                out.append(c);
            }
        }
    }
}
