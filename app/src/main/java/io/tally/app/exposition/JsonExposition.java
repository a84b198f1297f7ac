package io.tally.app.exposition;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.tally.collectors.core.HistogramSample;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /metrics/json}: the families of {@code /metrics} as JSON, the snapshot's (named as the text
 * format names them: a counter by its samples' {@code _total} name) and then the simpleclient
 * registry's.
 */
@jakarta.inject.Singleton
public final class JsonExposition {
    private final CollectorRegistry prometheus;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Family(String name, String type, String help, String unit, List<Map<String, Object>> samples) {
    }

    @Inject
    public JsonExposition(CollectorRegistry prometheus) {
        this.prometheus = prometheus;
    }

    public Map<String, Object> render(Snapshot snapshot) {
        List<Family> families = new ArrayList<>();
        for (MetricFamily family : snapshot.families()) {
            MetricDescriptor d = family.descriptor();
            List<Map<String, Object>> samples = new ArrayList<>();
            for (Sample s : family.samples()) {
                samples.add(Map.of("labels", labels(d.labelNames(), s.labelValues()), "value", number(s.value())));
            }
            for (HistogramSample h : family.histograms()) {
                Map<String, Long> buckets = d.bucketCounts(h);
                samples.add(Map.of("labels", labels(d.labelNames(), h.labelValues()), "buckets", buckets,
                        "sum", number(h.sum()), "count", h.count()));
            }
            families.add(new Family(d.sampleName(), d.type().exposition(), d.help(), d.unit(), samples));
        }
        for (Collector.MetricFamilySamples family : Collections.list(prometheus.metricFamilySamples())) {
            List<Map<String, Object>> samples = new ArrayList<>();
            for (Collector.MetricFamilySamples.Sample s : family.samples) {
                samples.add(Map.of("name", s.name, "labels", labels(s.labelNames, s.labelValues), "value", number(s.value)));
            }
            families.add(new Family(family.name, family.type.name().toLowerCase(Locale.ROOT), family.help,
                    family.unit == null ? "" : family.unit, samples));
        }
        return Map.of("collected_at", snapshot.collectedAt().toString(), "families", families);
    }

    private static Map<String, String> labels(List<String> names, List<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), values.get(i));
        }
        return out;
    }

    /** JSON has no NaN or infinities: they are written as the strings Prometheus uses. */
    private static Object number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return value;
    }
}
