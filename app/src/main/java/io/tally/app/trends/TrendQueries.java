package io.tally.app.trends;

import com.codahale.metrics.Clock;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.tally.app.stats.SnapshotStats;
import io.tally.app.stats.StatsService;
import io.tally.app.stats.TargetView;
import io.tally.collectors.core.http.Deadline;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers trend questions ({@code GET /trends}, the {@code trend} block of {@code /stats/{target}})
 * from the configured backend: the history {@link TrendRecorder} keeps, or a Prometheus-compatible
 * store ({@code trends.backend: prometheus}). Either way the same analysis and the same shape.
 */
@jakarta.inject.Singleton
public final class TrendQueries {
    private final TrendsConfiguration config;
    private final TrendRecorder recorder;
    private final StatsService stats;
    private final Clock clock;
    /** The Prometheus-compatible store trends come from with trends.backend: prometheus; null for the embedded one. */
    private final PrometheusTrends remote;
    /** Per-target summaries for /stats/{target}: they only change when the recorder records a snapshot. */
    private volatile Summaries summaries = new Summaries(-1, new ConcurrentHashMap<>());

    private record Summaries(long sequence, Map<String, Map<String, Object>> byTarget) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Trend(String metric, String window, String target, double stepSeconds, String direction,
                        String reason, Double slopePerHour, Double changeRatio, List<Object[]> points,
                        List<Map<String, Object>> anomalies, Map<String, Double> queue,
                        TrendRecorder.Persistence persistence, String backend) {
    }

    @Inject
    public TrendQueries(TrendsConfiguration config, TrendRecorder recorder, StatsService stats, Clock clock) {
        this.config = config;
        this.recorder = recorder;
        this.stats = stats;
        this.clock = clock;
        this.remote = config.prometheusBackend() ? new PrometheusTrends(new PrometheusRange(config.prometheus()),
                config.prometheus(), clock) : null;
    }

    /** From the configured backend: the embedded store, or the Prometheus-compatible one (trends.backend). */
    public Trend trend(TrendMetric metric, String window, long windowMillis, String target, Long stepMillis) {
        if (remote != null) {
            return remoteTrend(metric, window, windowMillis, target, stepMillis,
                    Deadline.after(config.prometheus().timeout()));
        }
        return embeddedTrend(metric, window, windowMillis, target, stepMillis);
    }

    private Trend remoteTrend(TrendMetric metric, String window, long windowMillis, String target, Long stepMillis,
                              Deadline deadline) {
        long step = remote.step(windowMillis, stepMillis);
        try {
            PrometheusTrends.Fetched f = remote.fetch(metric, windowMillis, target, step, deadline);
            return assemble(metric, window, windowMillis, target, step / 1000.0, f.times(), f.values(),
                    f.times().length == 0, f.capacity(), "prometheus");
        } catch (PrometheusRange.Unavailable e) {
            return unavailable(metric, window, target, step / 1000.0, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable(metric, window, target, step / 1000.0, "interrupted while asking the trend store");
        }
    }

    /** Whether trends come from a store that sees every shard, so that any discovered target has one. */
    public boolean global() {
        return remote != null;
    }

    private Trend embeddedTrend(TrendMetric metric, String window, long windowMillis, String target, Long stepMillis) {
        long now = clock.getTime();
        TrendStore.Points raw = recorder.store().read(TrendMetric.key(metric, target), now - windowMillis, now);
        long step = stepMillis != null ? stepMillis : Math.max(1, windowMillis / 240);
        TrendStore.Points points = stepMillis == null && raw.size() <= 240 ? raw : raw.bucketed(step);
        return assemble(metric, window, windowMillis, target, (stepMillis == null && raw.size() <= 240 ? 0 : step) / 1000.0,
                points.times(), points.values(), raw.size() == 0, metric == TrendMetric.QUEUE_DEPTH ? capacity(target) : null,
                "embedded");
    }

    /**
     * The one shape of a trend, whichever store the points came from: the same analysis (direction,
     * slope, change, anomalies) and, for queue depth, growth and time to full.
     */
    Trend assemble(TrendMetric metric, String window, long windowMillis, String target, double stepSeconds,
                   long[] times, double[] values, boolean noHistory, Double capacity, String backend) {
        TrendAnalysis.Result result = TrendAnalysis.analyze(times, values, windowMillis);
        List<Object[]> out = new ArrayList<>(times.length);
        for (int i = 0; i < times.length; i++) {
            out.add(new Object[] {Instant.ofEpochMilli(times[i]).toString(), values[i]});
        }
        List<Map<String, Object>> anomalies = result.anomalies().stream().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", Instant.ofEpochMilli(a.time()).toString());
            m.put("value", a.value());
            m.put("z", Math.round(a.z() * 100) / 100.0);
            return m;
        }).toList();
        String reason = result.reason();
        if (reason != null && noHistory) {
            reason = "no history for " + metric.label() + (target == null ? "" : " of " + target)
                    + " in the last " + window + " yet";
        }
        return new Trend(metric.label(), window, target, stepSeconds, result.direction(), reason,
                result.slopePerHour(), result.changeRatio(), out, anomalies,
                metric == TrendMetric.QUEUE_DEPTH ? queue(result, values, capacity) : null, recorder.persistence(),
                backend);
    }

    /** The store could not answer: no points, no direction, and why. */
    Trend unavailable(TrendMetric metric, String window, String target, double stepSeconds, String reason) {
        Map<String, Double> queue = null;
        if (metric == TrendMetric.QUEUE_DEPTH) {
            queue = new LinkedHashMap<>();
            queue.put("growth_per_minute", null);
            queue.put("capacity", null);
            queue.put("time_to_full_seconds", null);
        }
        return new Trend(metric.label(), window, target, stepSeconds, null, reason, null, null, List.of(), List.of(),
                queue, recorder.persistence(), "prometheus");
    }

    private static Map<String, Double> queue(TrendAnalysis.Result result, double[] values, Double capacity) {
        Map<String, Double> queue = new LinkedHashMap<>();
        Double growth = result.slopePerHour() == null ? null : result.slopePerHour() / 60;
        queue.put("growth_per_minute", growth);
        Double timeToFull = null;
        if (growth != null && growth > 0 && capacity != null && values.length > 0) {
            double depth = values[values.length - 1];
            timeToFull = Math.max(0, (capacity - depth) / (growth / 60));
        }
        queue.put("capacity", capacity);
        queue.put("time_to_full_seconds", timeToFull);
        return queue;
    }

    private Double capacity(String target) {
        SnapshotStats s = stats.current().stats();
        if (target == null) {
            double total = s.queues().stream().filter(q -> q.capacity() != null && !"dlq".equals(q.role()))
                    .mapToDouble(SnapshotStats.QueueLine::capacity).sum();
            return total > 0 ? total : null;
        }
        TargetView view = s.target(target);
        if (view == null) {
            return null;
        }
        double total = view.queues().stream().filter(q -> q.capacity() != null && !"dlq".equals(q.role()))
                .mapToDouble(q -> q.capacity()).sum();
        return total > 0 ? total : null;
    }

    /** The sequence of the snapshot the summaries come from: they change when it does. */
    public long recordedSequence() {
        return recorder.recordedSequence();
    }

    /** The one-hour direction of a target's main figures, for /stats/{target}; computed once per recorded snapshot. */
    public Map<String, Object> summary(String target) {
        long recorded = recorder.recordedSequence();
        Summaries current = summaries;
        if (current.sequence() != recorded) {
            current = new Summaries(recorded, new ConcurrentHashMap<>());
            summaries = current;
        }
        return current.byTarget().computeIfAbsent(target, this::computeSummary);
    }

    private Map<String, Object> computeSummary(String target) {
        Map<String, Object> out = new LinkedHashMap<>();
        // One deadline for the whole block: three queries to a slow store never hold a request three times as long.
        Deadline deadline = remote == null ? null : Deadline.after(config.prometheus().timeout());
        for (TrendMetric metric : List.of(TrendMetric.SUCCESS_RATIO, TrendMetric.LATENCY_P95_SECONDS,
                TrendMetric.QUEUE_DEPTH)) {
            Trend t = remote == null ? embeddedTrend(metric, "1h", 3_600_000L, target, null)
                    : remoteTrend(metric, "1h", 3_600_000L, target, null, deadline);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("direction", t.direction());
            m.put("slope_per_hour", t.slopePerHour());
            m.put("points", t.points().size());
            if (t.reason() != null) {
                m.put("reason", t.reason());
            }
            out.put(metric.label(), m);
        }
        out.put("window", "1h");
        return out;
    }
}
