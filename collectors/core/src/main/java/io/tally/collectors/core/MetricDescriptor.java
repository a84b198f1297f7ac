package io.tally.collectors.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a metric family is: name, type, help, base unit, label names and, for histograms, the
 * bucket upper bounds. Collectors declare these once as constants and write samples against them,
 * so the hot path never builds or validates a name.
 *
 * <p>Counter names are given without {@code _total}; the exporter adds it where each format wants
 * it. A unit, when given, must be the name's last word, as OpenMetrics requires.
 */
public final class MetricDescriptor {
    private final String name;
    /** Built once: every exporter writes it for every sample. */
    private final String sampleName;
    private final MetricType type;
    private final String help;
    private final String unit;
    private final List<String> labelNames;
    private final double[] bucketBounds;
    private final String[] bucketLabels;

    private MetricDescriptor(String name, MetricType type, String help, String unit,
                             List<String> labelNames, double[] bucketBounds) {
        this.name = MetricNames.requireMetricName(name);
        this.type = Objects.requireNonNull(type, "type");
        this.sampleName = type == MetricType.COUNTER ? name + "_total" : name;
        if (help == null || help.isBlank()) {
            throw new IllegalArgumentException("metric " + name + " needs help text");
        }
        this.help = help;
        this.unit = unit == null ? "" : unit;
        if (!this.unit.isEmpty() && !name.endsWith("_" + this.unit)) {
            throw new IllegalArgumentException("metric " + name + " must end with its unit _" + unit);
        }
        if (type == MetricType.COUNTER && name.endsWith("_total")) {
            throw new IllegalArgumentException("counter " + name + " is named without _total");
        }
        this.labelNames = List.copyOf(labelNames);
        for (String label : this.labelNames) {
            MetricNames.requireLabelName(label);
            if (type == MetricType.HISTOGRAM && label.equals("le")) {
                throw new IllegalArgumentException("histogram " + name + " cannot use label le");
            }
        }
        if (type == MetricType.HISTOGRAM) {
            if (bucketBounds == null || bucketBounds.length == 0) {
                throw new IllegalArgumentException("histogram " + name + " needs bucket bounds");
            }
            for (int i = 1; i < bucketBounds.length; i++) {
                if (!(bucketBounds[i] > bucketBounds[i - 1])) {
                    throw new IllegalArgumentException("histogram " + name + " bounds must increase");
                }
            }
            if (Double.isInfinite(bucketBounds[bucketBounds.length - 1])) {
                throw new IllegalArgumentException("histogram " + name + ": +Inf bucket is implicit");
            }
            this.bucketBounds = bucketBounds.clone();
            this.bucketLabels = new String[bucketBounds.length + 1];
            for (int i = 0; i < bucketBounds.length; i++) {
                bucketLabels[i] = Double.toString(bucketBounds[i]);
            }
            bucketLabels[bucketBounds.length] = "+Inf";
        } else {
            this.bucketBounds = new double[0];
            this.bucketLabels = new String[0];
        }
    }

    public static MetricDescriptor counter(String name, String help, String unit, String... labelNames) {
        return new MetricDescriptor(name, MetricType.COUNTER, help, unit, List.of(labelNames), null);
    }

    public static MetricDescriptor gauge(String name, String help, String unit, String... labelNames) {
        return new MetricDescriptor(name, MetricType.GAUGE, help, unit, List.of(labelNames), null);
    }

    public static MetricDescriptor histogram(String name, String help, String unit, double[] bucketBounds,
                                             String... labelNames) {
        return new MetricDescriptor(name, MetricType.HISTOGRAM, help, unit, List.of(labelNames), bucketBounds);
    }

    public String name() {
        return name;
    }

    /**
     * The name a family's plain samples are exposed under, and its family name in the Prometheus
     * 0.0.4 text format: a counter's ends in {@code _total}, every other type's is {@link #name()}.
     * The one place that rule is written.
     */
    public String sampleName() {
        return sampleName;
    }

    public MetricType type() {
        return type;
    }

    public String help() {
        return help;
    }

    /** The base unit ({@code seconds}, {@code bytes}, ...), or the empty string. */
    public String unit() {
        return unit;
    }

    public List<String> labelNames() {
        return labelNames;
    }

    /** Number of finite buckets; cumulative counts carry one more, the +Inf bucket. */
    public int bucketCount() {
        return bucketBounds.length;
    }

    public double bucketBound(int index) {
        return bucketBounds[index];
    }

    /** The {@code le} label value of bucket {@code index}, including "+Inf" at {@link #bucketCount()}. */
    public String bucketLabel(int index) {
        return bucketLabels[index];
    }

    /**
     * A histogram series of this family as cumulative counts by {@code le} label, in bound order
     * with "+Inf" last: the one rule for every view that shows buckets by label (the admin
     * registry's values, {@code /metrics/json}).
     */
    public Map<String, Long> bucketCounts(HistogramSample sample) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < sample.buckets(); i++) {
            counts.put(bucketLabels[i], sample.bucket(i));
        }
        return Collections.unmodifiableMap(counts);
    }

    /** Same family shape: merging samples of two descriptors is only allowed when this holds. */
    public boolean sameShape(MetricDescriptor other) {
        return name.equals(other.name) && type == other.type && unit.equals(other.unit)
                && labelNames.equals(other.labelNames) && Arrays.equals(bucketBounds, other.bucketBounds);
    }

    @Override
    public String toString() {
        return type.exposition() + " " + name + labelNames;
    }
}
