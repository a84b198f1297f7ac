package io.tally.app.trends;

import com.codahale.metrics.Clock;
import io.tally.collectors.core.http.Deadline;
import io.tally.collectors.core.workers.WorkerMetrics;
import io.tally.collectors.health.HealthMetrics;
import io.tally.collectors.publisher.PublisherMetrics;
import io.tally.collectors.queue.QueueMetrics;

/**
 * The trend figures as PromQL over Tally's own families, across every replica a Prometheus-compatible
 * store scrapes: each the same figure the embedded store records from a snapshot. A series two
 * replicas report for a moment (during a reshard) counts once ({@code max by}); queue and publisher
 * figures come from the singleton shards.
 */
final class PrometheusTrends {
    /** The probe latency histogram's bucket series. Every name here comes from its family's descriptor. */
    private static final String LATENCY_BUCKETS = HealthMetrics.LATENCY.name() + "_bucket";

    private final PrometheusRange range;
    private final PrometheusBackendConfiguration config;
    private final Clock clock;

    /** One figure's points, and for queue depth the capacity at the end of the window (null when unknown). */
    record Fetched(long[] times, double[] values, Double capacity) {
    }

    PrometheusTrends(PrometheusRange range, PrometheusBackendConfiguration config, Clock clock) {
        this.range = range;
        this.config = config;
        this.clock = clock;
    }

    /** The asked step (or window/240), grown so that no query asks for more than maxPoints points. */
    long step(long windowMillis, Long asked) {
        long step = asked != null ? asked : Math.max(1000, windowMillis / 240);
        return Math.max(step, (windowMillis + config.maxPoints() - 1) / config.maxPoints());
    }

    Fetched fetch(TrendMetric metric, long windowMillis, String target, long step, Deadline deadline)
            throws PrometheusRange.Unavailable, InterruptedException {
        long end = clock.getTime();
        long start = end - windowMillis;
        long rate = Math.max(config.rateIntervalMillis(), step);
        PrometheusRange.Series series = range.query(query(metric, target, config.matchers(), rate), start, end, step,
                deadline);
        Double capacity = null;
        if (metric == TrendMetric.QUEUE_DEPTH) {
            Double last = range.query(queueSum(QueueMetrics.CAPACITY.name(), target, config.matchers(), true), start, end, step,
                    deadline).last();
            capacity = last != null && last > 0 ? last : null;
        }
        return new Fetched(series.times(), series.values(), capacity);
    }

    /** The PromQL of one figure; {@code matchers} narrow every selector to this deployment. */
    static String query(TrendMetric metric, String target, String matchers, long rateMillis) {
        return switch (metric) {
            case SUCCESS_RATIO -> success(target, matchers);
            case ERROR_RATIO -> "1 - (" + success(target, matchers) + ")";
            case LATENCY_P95_SECONDS -> target != null
                    ? "histogram_quantile(0.95, sum by (le) (rate(" + LATENCY_BUCKETS
                    + selector(matchers, target) + "[" + rateMillis + "ms])))"
                    // The embedded figure: the 95th percentile of the targets' own p95s.
                    : "quantile(0.95, histogram_quantile(0.95, sum by (target, le) (rate("
                    + LATENCY_BUCKETS + selector(matchers, null) + "[" + rateMillis
                    + "ms]))))";
            case QUEUE_DEPTH -> queueSum(QueueMetrics.DEPTH.name(), target, matchers, target == null);
            case HEALTHY_TARGETS -> "sum(max by (target) (" + HealthMetrics.STATUS.name()
                    + selector(matchers, null, "status=\"healthy\"") + "))";
            // Worker figures come from each replica's own recorder (or the singleton's scrape): summed.
            case RETRY_RATE -> "sum(rate(" + WorkerMetrics.RETRIES.sampleName() + selector(matchers, target) + "["
                    + rateMillis + "ms]))";
            case BREAKER_OPEN_SECONDS -> "sum(" + WorkerMetrics.BREAKER_OPEN_SECONDS.sampleName()
                    + selector(matchers, target) + ")";
            case DLQ_WRITES -> "sum(" + WorkerMetrics.DLQ_WRITES.sampleName() + selector(matchers, target) + ")";
        };
    }

    /**
     * Publishing success when a publisher reports attempts, else the probes' ratio: for a target its
     * own, system-wide the mean over targets, as /stats computes them.
     */
    private static String success(String target, String matchers) {
        String publishing = "clamp_min(1 - (sum(max by (publisher, target, reason) (" + PublisherMetrics.FAILURES.sampleName()
                + selector(matchers, target) + ")) or vector(0)) / (sum(max by (publisher, target) ("
                + PublisherMetrics.ATTEMPTS.sampleName() + selector(matchers, target) + ")) > 0), 0)";
        String probes = target != null ? "max(" + HealthMetrics.SUCCESS_RATIO.name() + selector(matchers, target) + ")"
                : "avg(max by (target) (" + HealthMetrics.SUCCESS_RATIO.name() + selector(matchers, null) + "))";
        return publishing + " or " + probes;
    }

    /**
     * Queues feeding the target (its own and "*" ones) or every queue; without dead-letter queues when
     * asked (system-wide depth and every capacity, as /stats and the embedded store count them).
     */
    private static String queueSum(String family, String target, String matchers, boolean withoutDlq) {
        String[] role = withoutDlq ? new String[] {"role!=\"dlq\""} : new String[0];
        String inner = target == null ? family + selector(matchers, null, role)
                : family + selector(matchers, target, role) + " or " + family + selector(matchers, "*", role);
        return "sum(max by (source, broker, queue) (" + inner + "))";
    }

    private static String selector(String matchers, String target, String... more) {
        StringBuilder out = new StringBuilder("{");
        if (target != null) {
            out.append("target=\"").append(target.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        for (String m : more) {
            out.append(out.length() > 1 ? "," : "").append(m);
        }
        if (!matchers.isEmpty()) {
            out.append(out.length() > 1 ? "," : "").append(matchers);
        }
        return out.append('}').toString();
    }
}
