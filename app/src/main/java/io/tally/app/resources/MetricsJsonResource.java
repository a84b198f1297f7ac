package io.tally.app.resources;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.prometheus.client.Collector;
import io.tally.app.config.CollectionConfiguration;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.HistogramSample;
import io.tally.collectors.core.MetricDescriptor;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.MetricType;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /metrics/json}: the families of {@code /metrics}, as JSON. */
@RolesAllowed({"metrics", "read"})
@Path("/metrics/json")
@Produces(MediaType.APPLICATION_JSON)
public final class MetricsJsonResource {
    private final CollectorRegistry registry;
    private final io.prometheus.client.CollectorRegistry prometheus;
    private final Duration maxAge;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Family(String name, String type, String help, String unit, List<Map<String, Object>> samples) {
    }

    @Inject
    public MetricsJsonResource(CollectorRegistry registry, io.prometheus.client.CollectorRegistry prometheus,
                               CollectionConfiguration collection) {
        this.registry = registry;
        this.prometheus = prometheus;
        this.maxAge = collection.getMaxAge().toJavaDuration();
    }

    @GET
    public Map<String, Object> metrics() {
        Snapshot snapshot = registry.latestWithin(maxAge);
        List<Family> families = new ArrayList<>();
        for (MetricFamily family : snapshot.families()) {
            MetricDescriptor d = family.descriptor();
            List<Map<String, Object>> samples = new ArrayList<>();
            for (Sample s : family.samples()) {
                samples.add(Map.of("labels", labels(d.labelNames(), s.labelValues()), "value", number(s.value())));
            }
            for (HistogramSample h : family.histograms()) {
                samples.add(Map.of("labels", labels(d.labelNames(), h.labelValues()), "buckets", d.bucketCounts(h),
                        "sum", number(h.sum()), "count", h.count()));
            }
            String name = d.type() == MetricType.COUNTER ? d.name() + "_total" : d.name();
            families.add(new Family(name, d.type().exposition(), d.help(), d.unit(), samples));
        }
        for (Collector.MetricFamilySamples family : Collections.list(prometheus.metricFamilySamples())) {
            List<Map<String, Object>> samples = new ArrayList<>();
            for (Collector.MetricFamilySamples.Sample s : family.samples) {
                samples.add(Map.of("name", s.name, "labels", labels(s.labelNames, s.labelValues), "value", number(s.value)));
            }
            families.add(new Family(family.name, family.type.name().toLowerCase(java.util.Locale.ROOT), family.help,
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
