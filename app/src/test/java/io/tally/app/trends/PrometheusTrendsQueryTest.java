package io.tally.app.trends;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PromQL of each trend figure, written out: the family names come from the families' descriptors,
 * and these are the names /metrics exposes them under (a counter's samples end in _total).
 */
class PrometheusTrendsQueryTest {
    private static final String JOB = "job=\"tally\"";

    @Test
    void successRatioIsPublishingFallingBackToProbes() {
        assertThat(PrometheusTrends.query(TrendMetric.SUCCESS_RATIO, "a", JOB, 60_000)).isEqualTo(
                "clamp_min(1 - (sum(max by (publisher, target, reason) (tally_publisher_failures_total"
                        + "{target=\"a\",job=\"tally\"})) or vector(0)) / (sum(max by (publisher, target) ("
                        + "tally_publisher_attempts_total{target=\"a\",job=\"tally\"})) > 0), 0)"
                        + " or max(tally_target_success_ratio{target=\"a\",job=\"tally\"})");
        assertThat(PrometheusTrends.query(TrendMetric.ERROR_RATIO, null, JOB, 60_000)).isEqualTo(
                "1 - (clamp_min(1 - (sum(max by (publisher, target, reason) (tally_publisher_failures_total"
                        + "{job=\"tally\"})) or vector(0)) / (sum(max by (publisher, target) ("
                        + "tally_publisher_attempts_total{job=\"tally\"})) > 0), 0)"
                        + " or avg(max by (target) (tally_target_success_ratio{job=\"tally\"})))");
    }

    @Test
    void latencyQueueAndTargetFigures() {
        assertThat(PrometheusTrends.query(TrendMetric.LATENCY_P95_SECONDS, "a", JOB, 60_000)).isEqualTo(
                "histogram_quantile(0.95, sum by (le) (rate(tally_target_probe_duration_seconds_bucket"
                        + "{target=\"a\",job=\"tally\"}[60000ms])))");
        assertThat(PrometheusTrends.query(TrendMetric.LATENCY_P95_SECONDS, null, JOB, 60_000)).isEqualTo(
                "quantile(0.95, histogram_quantile(0.95, sum by (target, le) (rate("
                        + "tally_target_probe_duration_seconds_bucket{job=\"tally\"}[60000ms]))))");
        assertThat(PrometheusTrends.query(TrendMetric.QUEUE_DEPTH, "a", JOB, 60_000)).isEqualTo(
                "sum(max by (source, broker, queue) (tally_queue_depth{target=\"a\",job=\"tally\"}"
                        + " or tally_queue_depth{target=\"*\",job=\"tally\"}))");
        assertThat(PrometheusTrends.query(TrendMetric.QUEUE_DEPTH, null, JOB, 60_000)).isEqualTo(
                "sum(max by (source, broker, queue) (tally_queue_depth{role!=\"dlq\",job=\"tally\"}))");
        assertThat(PrometheusTrends.query(TrendMetric.HEALTHY_TARGETS, null, JOB, 60_000)).isEqualTo(
                "sum(max by (target) (tally_target_health_status{status=\"healthy\",job=\"tally\"}))");
    }

    @Test
    void workerFiguresReadTheCountersSamples() {
        assertThat(PrometheusTrends.query(TrendMetric.RETRY_RATE, "a", JOB, 60_000)).isEqualTo(
                "sum(rate(tally_retry_attempts_total{target=\"a\",job=\"tally\"}[60000ms]))");
        assertThat(PrometheusTrends.query(TrendMetric.BREAKER_OPEN_SECONDS, null, JOB, 60_000)).isEqualTo(
                "sum(tally_circuit_breaker_open_seconds_total{job=\"tally\"})");
        assertThat(PrometheusTrends.query(TrendMetric.DLQ_WRITES, null, JOB, 60_000)).isEqualTo(
                "sum(tally_dlq_writes_total{job=\"tally\"})");
    }
}
