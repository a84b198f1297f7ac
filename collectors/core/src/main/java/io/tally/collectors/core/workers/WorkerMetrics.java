package io.tally.collectors.core.workers;

import io.tally.collectors.core.MetricDescriptor;

/**
 * The publishing workers' families. They live in core because two families write them: the
 * workers collector (embedded recorder and ingested events, {@code source="workers"}) and the
 * publisher scraper (a notifier's own figures, {@code source=<publisher name>}); the
 * {@code source} label keeps their series apart.
 */
public final class WorkerMetrics {
    /** Job duration buckets, seconds: webhook calls take milliseconds to tens of seconds. */
    public static final double[] DURATION_BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    /** Queue wait buckets, seconds: from an idle pool (milliseconds) to a backlog (minutes). */
    public static final double[] WAIT_BOUNDS = {0.001, 0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900};

    public static final MetricDescriptor JOBS_PROCESSED = MetricDescriptor.counter("tally_jobs_processed",
            "Publishing jobs the workers finished, by outcome: success, failed, retried, dead_lettered.", "",
            "source", "target", "outcome");
    public static final MetricDescriptor JOBS_IN_FLIGHT = MetricDescriptor.gauge("tally_jobs_in_flight",
            "Jobs started and not finished yet.", "", "source", "target");
    public static final MetricDescriptor JOB_DURATION = MetricDescriptor.histogram("tally_job_duration_seconds",
            "How long a publishing job took, from start to finish.", "seconds", DURATION_BOUNDS, "source", "target");
    public static final MetricDescriptor JOB_WAIT = MetricDescriptor.histogram("tally_job_wait_seconds",
            "How long a job waited in the queue before a worker started it.", "seconds", WAIT_BOUNDS, "source",
            "target");
    public static final MetricDescriptor RETRIES = MetricDescriptor.counter("tally_retry_attempts",
            "Retries of publishing jobs, by error type.", "", "source", "target", "error_type");
    public static final MetricDescriptor BREAKER_STATE = MetricDescriptor.gauge("tally_circuit_breaker_state",
            "1 for the circuit breaker's current state (closed, half_open, open), 0 for the others.", "", "source",
            "target", "state");
    public static final MetricDescriptor BREAKER_STATE_SECONDS = MetricDescriptor.gauge(
            "tally_circuit_breaker_state_seconds", "How long the breaker has been in its current state.", "seconds",
            "source", "target");
    public static final MetricDescriptor BREAKER_OPEN_SECONDS = MetricDescriptor.counter(
            "tally_circuit_breaker_open_seconds", "Time the breaker has spent open, in total.", "seconds", "source",
            "target");
    public static final MetricDescriptor BREAKER_TRIPS = MetricDescriptor.counter("tally_circuit_breaker_trips",
            "Times the breaker went to open.", "", "source", "target");
    public static final MetricDescriptor WORKERS = MetricDescriptor.gauge("tally_workers",
            "Publishing workers by state: active (on a job) or idle.", "", "source", "state");
    public static final MetricDescriptor DLQ_WRITES = MetricDescriptor.counter("tally_dlq_writes",
            "Jobs written to the dead-letter queue, by error type.", "", "source", "target", "error_type");
    public static final MetricDescriptor DLQ_REPLAYS = MetricDescriptor.counter("tally_dlq_replays",
            "Dead-lettered jobs replayed, by result: success or failed.", "", "source", "target", "result");
    public static final MetricDescriptor SUBMISSIONS = MetricDescriptor.counter("tally_queue_submissions",
            "Jobs submitted to the publishing queue, by priority and result (accepted, rejected, ...).", "",
            "source", "priority", "result");
    public static final MetricDescriptor EVENTS_DROPPED = MetricDescriptor.counter("tally_worker_events_dropped",
            "Worker events left out to keep state bounded or because a name was invalid, by reason.", "",
            "source", "reason");

    private WorkerMetrics() {
    }

    /**
     * A quantile of a cumulative histogram by linear interpolation inside the bucket, as
     * {@code histogram_quantile} does; null when it holds no observation.
     */
    public static Double quantile(double[] bounds, long[] cumulative, double q) {
        if (cumulative.length == 0 || cumulative[cumulative.length - 1] == 0) {
            return null;
        }
        double rank = q * cumulative[cumulative.length - 1];
        for (int i = 0; i < bounds.length; i++) {
            if (cumulative[i] >= rank) {
                double lower = i == 0 ? 0 : bounds[i - 1];
                long below = i == 0 ? 0 : cumulative[i - 1];
                long in = cumulative[i] - below;
                return in == 0 ? bounds[i] : lower + (bounds[i] - lower) * (rank - below) / in;
            }
        }
        return bounds[bounds.length - 1];
    }
}
