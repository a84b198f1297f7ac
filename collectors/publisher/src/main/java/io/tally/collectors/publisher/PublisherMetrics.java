package io.tally.collectors.publisher;

import io.tally.collectors.core.MetricDescriptor;

/** The families publisher collectors write. */
public final class PublisherMetrics {
    public static final MetricDescriptor UP = MetricDescriptor.gauge("tally_publisher_up",
            "1 when the latest scrape of the publisher's metrics succeeded.", "", "publisher");
    public static final MetricDescriptor SCRAPE_DURATION = MetricDescriptor.gauge(
            "tally_publisher_scrape_duration_seconds", "How long the latest scrape took.", "seconds", "publisher");
    public static final MetricDescriptor SCRAPE_SAMPLES = MetricDescriptor.gauge("tally_publisher_scrape_samples",
            "Samples in the latest successful scrape.", "", "publisher");
    public static final MetricDescriptor SCRAPE_ERRORS = MetricDescriptor.counter("tally_publisher_scrape_errors",
            "Failed scrapes by kind: timeout, connect, http_status, too_large, parse, too_many_samples.", "",
            "publisher", "kind");
    public static final MetricDescriptor ATTEMPTS = MetricDescriptor.counter("tally_publisher_attempts",
            "Notifications the publisher attempted for the target (counter resets corrected).", "",
            "publisher", "target");
    public static final MetricDescriptor FAILURES = MetricDescriptor.counter("tally_publisher_failures",
            "Notifications that failed, by reason.", "", "publisher", "target", "reason");
    public static final MetricDescriptor REQUESTS = MetricDescriptor.counter("tally_publisher_requests",
            "Requests sent to the target, retries included.", "", "publisher", "target");
    public static final MetricDescriptor REQUESTS_FAILED = MetricDescriptor.counter("tally_publisher_requests_failed",
            "Requests to the target that failed.", "", "publisher", "target");
    public static final MetricDescriptor SUCCESS_RATIO = MetricDescriptor.gauge("tally_publisher_success_ratio",
            "Share of attempted notifications that did not fail.", "ratio", "publisher", "target");
    public static final MetricDescriptor ATTEMPT_RATE = MetricDescriptor.gauge("tally_publisher_attempts_per_second",
            "Attempts per second between the last two scrapes.", "", "publisher", "target");
    public static final MetricDescriptor FAILURE_RATE = MetricDescriptor.gauge("tally_publisher_failures_per_second",
            "Failures per second between the last two scrapes.", "", "publisher", "target");

    /** One layout for every publisher ({@link LatencyBuckets}), so that series of two publishers never clash. */
    public static final MetricDescriptor LATENCY = MetricDescriptor.histogram("tally_publisher_latency_seconds",
            "Delivery latency the publisher measured, summed over the target's series, on Tally's buckets.",
            "seconds", LatencyBuckets.BOUNDS, "publisher", "target");

    private PublisherMetrics() {
    }
}
