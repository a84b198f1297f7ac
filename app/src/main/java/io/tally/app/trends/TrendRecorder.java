package io.tally.app.trends;

import com.codahale.metrics.Clock;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.dropwizard.lifecycle.Managed;
import io.tally.app.stats.SnapshotStats;
import io.tally.app.stats.StatsService;
import io.tally.app.stats.TargetView;
import io.tally.app.stats.WorkerTotals;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.SnapshotListener;
import io.tally.collectors.health.HealthStatus;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records every published snapshot into the {@link TrendStore} and keeps the history on disk: loaded
 * at start, written every {@code trends.flushInterval} and at stop. System series: success ratio,
 * error ratio, p95 latency, queue depth, healthy targets; per target: success ratio, error ratio, p95
 * latency and queue depth, each exactly as /stats shows it for that snapshot; worker figures where
 * there are any.
 */
@jakarta.inject.Singleton
public final class TrendRecorder implements SnapshotListener, Managed {
    private static final Logger LOG = LoggerFactory.getLogger(TrendRecorder.class);

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
    private volatile StoreSize storeSize = new StoreSize(0, 0, 0);
    /** The sequence of the snapshot last recorded. */
    private volatile long recordedSequence = -1;
    /** Retries by key at the previous snapshot, {time millis, total}: the retry rate is their difference over time. */
    private final Map<String, double[]> previousRetries = new ConcurrentHashMap<>();

    /** Memory held by the store, its series and its points, as of the latest recorded snapshot. */
    public record StoreSize(long bytes, long series, long points) {
    }

    /** Whether trend history reaches the disk: {@code ok}, {@code failing} (with why) or {@code pending}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Persistence(String status, String file, String lastFlush, long failedFlushes, String reason) {
    }

    @Inject
    public TrendRecorder(TrendsConfiguration config, StatsService stats, Clock clock) {
        this.config = config;
        this.stats = stats;
        this.clock = clock;
        this.store = new TrendStore(config.maxSeries(), Math.max(60_000L, config.fullResolutionMillis() / 2),
                config.coarseStepMillis(), config.evictAfterMillis());
    }

    /** The history this recorder appends to; what {@link TrendQueries} reads. */
    TrendStore store() {
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

    public Persistence persistence() {
        String error = flushError;
        long last = lastFlushMillis;
        String status = error != null ? "failing" : last > 0 ? "ok" : "pending";
        return new Persistence(status, config.file().toString(), last > 0 ? Instant.ofEpochMilli(last).toString() : null,
                flushFailures.get(), error);
    }

    /** When history last reached the disk, in epoch milliseconds; 0 before the first successful write. */
    long lastFlushMillis() {
        return lastFlushMillis;
    }

    long flushFailures() {
        return flushFailures.get();
    }

    /** Whether the latest write of the history failed. */
    boolean flushFailing() {
        return flushError != null;
    }

    StoreSize storeSize() {
        return storeSize;
    }

    /** The sequence of the snapshot last recorded; -1 before the first. */
    public long recordedSequence() {
        return recordedSequence;
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
        recordedSequence = snapshot.sequence();
        storeSize = new StoreSize(store.bytes(), store.seriesCount(), store.points());
    }

    /** Retry rate, breaker open time and DLQ writes of one target (or, with a null target, of all). */
    private void putWorkers(Map<String, Double> values, String target, WorkerTotals w, long millis) {
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

    private static Double mean(List<Double> values) {
        return values.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).average().stream()
                .boxed().findFirst().orElse(null);
    }

    private static Double percentile(List<Double> values, double p) {
        double[] known = values.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
        if (known.length == 0) {
            return null;
        }
        Arrays.sort(known);
        return known[Math.max(0, (int) Math.ceil(p * known.length) - 1)];
    }
}
