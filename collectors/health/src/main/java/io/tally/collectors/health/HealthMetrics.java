package io.tally.collectors.health;

import io.tally.collectors.core.MetricDescriptor;

/** The families the health collector writes. */
public final class HealthMetrics {
    static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    public static final MetricDescriptor STATUS = MetricDescriptor.gauge("tally_target_health_status",
            "The target's health: 1 for the current status (unknown, healthy, degraded, unhealthy).", "",
            "target", "type", "status");
    public static final MetricDescriptor UP = MetricDescriptor.gauge("tally_target_up",
            "1 when the latest probe of the target succeeded, 0 when it failed.", "", "target", "type");
    public static final MetricDescriptor CONSECUTIVE_FAILURES = MetricDescriptor.gauge(
            "tally_target_consecutive_failures", "Failed probes in a row.", "", "target", "type");
    public static final MetricDescriptor SUCCESS_RATIO = MetricDescriptor.gauge("tally_target_success_ratio",
            "Share of successful probes in the sliding window.", "ratio", "target", "type");
    public static final MetricDescriptor CHECKS = MetricDescriptor.counter("tally_target_checks",
            "Probes made.", "", "target", "type");
    public static final MetricDescriptor FAILURES = MetricDescriptor.counter("tally_target_check_failures",
            "Failed probes by error class: timeout, connect, dns, tls, status, body, denied.", "",
            "target", "type", "error");
    public static final MetricDescriptor LATENCY = MetricDescriptor.histogram("tally_target_probe_duration_seconds",
            "Time one probe took, until the response (and body, when matched) was read.", "seconds",
            LATENCY_BUCKETS, "target", "type");
    public static final MetricDescriptor CERT_EXPIRY = MetricDescriptor.gauge(
            "tally_target_certificate_expiry_timestamp_seconds", "When the target's TLS certificate expires.",
            "seconds", "target", "type");
    public static final MetricDescriptor TARGETS = MetricDescriptor.gauge("tally_health_targets",
            "Probed targets by health status.", "", "status");
    public static final MetricDescriptor SKIPPED = MetricDescriptor.counter("tally_health_probes_skipped",
            "Probes not started because the previous probe of the same target was still running.", "");
    public static final MetricDescriptor RUNNING = MetricDescriptor.gauge("tally_health_probes_running",
            "Probes running right now.", "");

    private HealthMetrics() {
    }
}
