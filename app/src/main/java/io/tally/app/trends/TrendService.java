package io.tally.app.trends;

import com.codahale.metrics.Clock;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.dropwizard.lifecycle.Managed;
import io.prometheus.client.Collector;
import io.tally.app.stats.SnapshotStats;
import io.tally.app.stats.StatsService;
import io.tally.app.stats.TargetView;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.SnapshotListener;
import io.tally.collectors.core.http.Deadline;
import io.tally.collectors.health.HealthStatus;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records every snapshot into the {@link TrendStore} and answers trend questions. System series:
 * success ratio, error ratio, p95 latency, queue depth, healthy targets; per target: success ratio,
 * error ratio, p95 latency and queue depth, each exactly as /stats shows it for that snapshot.
 */
@jakarta.inject.Singleton
public final class TrendService extends Collector implements SnapshotListener, Managed {
    private static final Logger LOG = LoggerFactory.getLogger(TrendService.class);

    private final TrendStore store;
    private final TrendsConfiguration config;
    private final StatsService stats;
    private final Clock clock;
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tally-trend-flush").daemon(true).factory());
    /** When history last reached the disk; 0 before the first successful flush. */
    private volatile long lastFlushMillis;
    private final AtomicLong flushFailures = new AtomicLong();
    /** Why the latest flush failed; null while flushes succeed. */
    private volatile String flushError;
    /** The store's size, counted once per snapshot rather than on every scrape. */
    private volatile long[] storeFigures = {0, 0, 0};
    /** Per-target summaries for /stats/{target}: they only change when a snapshot is recorded. */
    private volatile Map<String, Map<String, Object>> summaries = new java.util.concurrent.ConcurrentHashMap<>();
    /** The sequence of the snapshot last recorded; what the summaries were computed from. */
    private volatile long recordedSequence = -1;

    /** The Prometheus-compatible store trends come from with trends.backend: prometheus; null for this store. */
    private final PrometheusTrends remote;

    @Inject
    public TrendService(TrendsConfiguration config, StatsService stats, Clock clock) {
        this.config = config;
        this.remote = config.prometheusBackend() ? new PrometheusTrends(new PrometheusRange(config.prometheus()),
                config.prometheus(), clock) : null;
        this.stats = stats;
        this.clock = clock;
        this.store = new TrendStore(config.maxSeries(), Math.max(60_000L, config.fullResolutionMillis() / 2),
                config.coarseStepMillis(), config.evictAfterMillis());
    }

    public TrendStore store() {
        return store;
    }

    @Override
    public void start() {
        store.load(config.file());
        long every = config.flushIntervalMillis();
        flusher.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        flusher.shutdownNow();
        flusher.awaitTermination(5, TimeUnit.SECONDS);
        flushQuietly();
    }

    /**
     * Compacts and writes the history. A failure (read-only or full disk, the directory gone) keeps
     * every point in memory, is counted, shown in /health and /trends, logged once per episode, and
     * retried at the next interval; the first flush that works again ends it.
     */
    synchronized void flushQuietly() {
        try {
            store.compact(clock.getTime(), config.retentionMillis(), config.fullResolutionMillis(),
                    config.coarseStepMillis());
            store.flush(config.file());
            lastFlushMillis = clock.getTime();
            if (flushError != null) {
                LOG.info("Trend history written to {} again", config.file());
                flushError = null;
            }
        } catch (IOException | RuntimeException e) {
            flushFailures.incrementAndGet();
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (flushError == null) {
                LOG.warn("Cannot write trend history to {} ({}); it is kept in memory and the write is retried every {} s",
                        config.file(), reason, config.flushIntervalMillis() / 1000.0);
            }
            flushError = reason;
        }
    }

    /** Whether trend history reaches the disk: {@code ok}, {@code failing} (with why) or {@code pending}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Persistence(String status, String file, String lastFlush, long failedFlushes, String reason) {
    }

    public Persistence persistence() {
        String error = flushError;
        long last = lastFlushMillis;
        String status = error != null ? "failing" : last > 0 ? "ok" : "pending";
        return new Persistence(status, config.file().toString(), last > 0 ? Instant.ofEpochMilli(last).toString() : null,
                flushFailures.get(), error);
    }

    @Override
    public void published(Snapshot snapshot) {
        SnapshotStats s = stats.of(snapshot).stats();
        Map<String, Double> values = new HashMap<>();
        Double success = s.publishingSuccessRatio();
        if (success == null) {
            success = mean(s.targets().stream().map(TargetView::successRatio).toList());
        }
        put(values, TrendMetric.SUCCESS_RATIO, null, success);
        put(values, TrendMetric.ERROR_RATIO, null, success == null ? null : 1 - success);
        put(values, TrendMetric.LATENCY_P95_SECONDS, null,
                percentile(s.targets().stream().map(TargetView::latencyP95Seconds).toList(), 0.95));
        List<SnapshotStats.QueueLine> queues = s.queues();
        put(values, TrendMetric.QUEUE_DEPTH, null, queues.isEmpty() ? null
                : queues.stream().filter(q -> !"dlq".equals(q.role())).mapToDouble(SnapshotStats.QueueLine::depth).sum());
        put(values, TrendMetric.HEALTHY_TARGETS, null,
                (double) s.targets().stream().filter(t -> t.status() == HealthStatus.HEALTHY).count());
        putWorkers(values, null, s.workers(), snapshot.collectedAt().toEpochMilli());
        for (TargetView t : s.targets()) {
            if (!t.workers().isEmpty()) {
                putWorkers(values, t.name(), t.workerTotals(), snapshot.collectedAt().toEpochMilli());
            }
            Double ratio = t.successRatio();
            put(values, TrendMetric.SUCCESS_RATIO, t.name(), ratio);
            put(values, TrendMetric.ERROR_RATIO, t.name(), ratio == null ? null : 1 - ratio);
            put(values, TrendMetric.LATENCY_P95_SECONDS, t.name(), t.latencyP95Seconds());
            put(values, TrendMetric.QUEUE_DEPTH, t.name(), t.queueDepth() == null ? null : t.queueDepth().doubleValue());
        }
        store.append(snapshot.collectedAt().toEpochMilli(), values);
        summaries = new java.util.concurrent.ConcurrentHashMap<>();
        recordedSequence = snapshot.sequence();
        storeFigures = new long[] {store.bytes(), store.seriesCount(), store.points()};
    }

    /** Retries by key at the previous snapshot, {time millis, total}: the retry rate is their difference over time. */
    private final Map<String, double[]> previousRetries = new java.util.concurrent.ConcurrentHashMap<>();

    /** Retry rate, breaker open time and DLQ writes of one target (or, with a null target, of all). */
    private void putWorkers(Map<String, Double> values, String target, io.tally.app.stats.WorkerTotals w, long millis) {
        if (w.isEmpty()) {
            return;
        }
        String key = target == null ? "" : target;
        double retries = w.retries();
        double[] previous = previousRetries.put(key, new double[] {millis, retries});
        if (previous != null && millis > previous[0] && retries >= previous[1]) {
            put(values, TrendMetric.RETRY_RATE, target, (retries - previous[1]) / ((millis - previous[0]) / 1000.0));
        }
        put(values, TrendMetric.BREAKER_OPEN_SECONDS, target, w.breakerOpenSeconds());
        put(values, TrendMetric.DLQ_WRITES, target, w.dlqWrites());
        if (previousRetries.size() > 2 * config.maxSeries()) {
            // Targets come and go: start over rather than keep rates of targets long gone.
            previousRetries.clear();
        }
    }

    private static void put(Map<String, Double> values, TrendMetric metric, String target, Double value) {
        if (value != null) {
            values.put(TrendMetric.key(metric, target), value);
        }
    }

    // Queries.

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Trend(String metric, String window, String target, double stepSeconds, String direction,
                        String reason, Double slopePerHour, Double changeRatio, List<Object[]> points,
                        List<Map<String, Object>> anomalies, Map<String, Double> queue, Persistence persistence,
                        String backend) {
    }

    /** From the configured backend: this store, or the Prometheus-compatible one (trends.backend). */
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
        TrendStore.Points raw = store.read(TrendMetric.key(metric, target), now - windowMillis, now);
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
                metric == TrendMetric.QUEUE_DEPTH ? queue(result, values, capacity) : null, persistence(), backend);
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
                queue, persistence(), "prometheus");
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
        return recordedSequence;
    }

    /** The one-hour direction of a target's main figures, for /stats/{target}; computed once per snapshot. */
    public Map<String, Object> summary(String target) {
        return summaries.computeIfAbsent(target, this::computeSummary);
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

    private static Double mean(List<Double> values) {
        return values.stream().filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).average().stream()
                .boxed().findFirst().orElse(null);
    }

    private static Double percentile(List<Double> values, double p) {
        double[] known = values.stream().filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
        if (known.length == 0) {
            return null;
        }
        Arrays.sort(known);
        return known[Math.max(0, (int) Math.ceil(p * known.length) - 1)];
    }

    // The store's own metrics, in /metrics.

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples> out = new ArrayList<>();
        long[] figures = storeFigures;
        out.add(gauge("tally_trend_store_bytes", "Memory held by trend history (compressed points and keys).",
                figures[0]));
        out.add(gauge("tally_trend_series", "Series in the trend store.", figures[1]));
        out.add(gauge("tally_trend_points", "Points held in the trend store.", figures[2]));
        out.add(counter("tally_trend_series_refused",
                "Series not recorded because the store held trends.maxSeries and none was idle for trends.evictAfter.",
                store.refused()));
        out.add(counter("tally_trend_series_evicted",
                "Series dropped, least recently appended first, to make room for new ones once trends.maxSeries was "
                        + "reached.", store.evicted()));
        out.add(counter("tally_trend_flush_failures",
                "Writes of trend history to trends.dataDir that failed; the history stays in memory.",
                flushFailures.get()));
        out.add(gauge("tally_trend_flush_failing", "1 while the latest write of trend history failed, else 0.",
                flushError == null ? 0 : 1));
        if (lastFlushMillis > 0) {
            // Absent until the first flush: a 0 would read as "written in 1970".
            out.add(gauge("tally_trend_last_flush_timestamp_seconds", "When trend history was last written to disk "
                            + "successfully.",
                    lastFlushMillis / 1000.0));
        }
        return out;
    }

    private static MetricFamilySamples counter(String name, String help, double value) {
        return new MetricFamilySamples(name, Type.COUNTER, help,
                List.of(new MetricFamilySamples.Sample(name + "_total", List.of(), List.of(), value)));
    }

    private static MetricFamilySamples gauge(String name, String help, double value) {
        return new MetricFamilySamples(name, Type.GAUGE, help,
                List.of(new MetricFamilySamples.Sample(name, List.of(), List.of(), value)));
    }
}
