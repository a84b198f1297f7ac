package io.tally.collectors.discovery;

import io.tally.collectors.core.MetricDescriptor;

/** The families the discovery and refresh collectors write. */
public final class DiscoveryMetrics {
    static final double[] DURATION_BUCKETS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    public static final MetricDescriptor TARGETS = MetricDescriptor.gauge("tally_discovery_targets",
            "Targets currently known, by type, enabled and the source that found them.", "", "type", "enabled", "source");
    public static final MetricDescriptor INVALID = MetricDescriptor.gauge("tally_discovery_invalid_targets",
            "Entries rejected in the latest lookups, by source and reason.", "", "source", "reason");
    public static final MetricDescriptor ERRORS = MetricDescriptor.counter("tally_discovery_errors",
            "Failed lookups, by source and kind of error.", "", "source", "kind");
    public static final MetricDescriptor LOOKUPS = MetricDescriptor.counter("tally_discovery_lookups",
            "Lookups made, by source and result.", "", "source", "result");
    public static final MetricDescriptor DURATION = MetricDescriptor.histogram("tally_discovery_duration_seconds",
            "How long one source's lookup took.", "seconds", DURATION_BUCKETS, "source");
    public static final MetricDescriptor LAST_SUCCESS = MetricDescriptor.gauge(
            "tally_discovery_last_success_timestamp_seconds", "When the source last looked targets up without error.",
            "seconds", "source");

    public static final MetricDescriptor SECRETS = MetricDescriptor.gauge("tally_discovery_secrets",
            "Kubernetes Secrets and ConfigMaps selected by a source in its last good lookup, by what became of them.",
            "", "source", "kind", "status");

    public static final MetricDescriptor REFRESH_LAST_SUCCESS = MetricDescriptor.gauge(
            "tally_refresh_last_success_timestamp_seconds", "When a refresh last succeeded for every source.", "seconds");
    public static final MetricDescriptor REFRESH_NEXT = MetricDescriptor.gauge("tally_refresh_next_timestamp_seconds",
            "When the next refresh is due.", "seconds");
    public static final MetricDescriptor REFRESH_IN_PROGRESS = MetricDescriptor.gauge("tally_refresh_in_progress",
            "1 while a refresh runs.", "");
    public static final MetricDescriptor REFRESH_INTERVAL = MetricDescriptor.gauge("tally_refresh_interval_seconds",
            "The configured refresh interval.", "seconds");
    public static final MetricDescriptor REFRESH_DURATION = MetricDescriptor.gauge("tally_refresh_duration_seconds",
            "How long the latest refresh took.", "seconds");
    public static final MetricDescriptor REFRESH_FAILURES = MetricDescriptor.gauge(
            "tally_refresh_consecutive_failures", "Refreshes in a row that failed for at least one source.", "");
    public static final MetricDescriptor REFRESH_TARGETS = MetricDescriptor.gauge("tally_refresh_targets",
            "Entries of the latest refresh: discovered, valid and invalid.", "", "state");
    public static final MetricDescriptor REFRESH_STATUS = MetricDescriptor.gauge("tally_refresh_status",
            "The refresh manager's status: 1 for the current one.", "", "status");

    private DiscoveryMetrics() {
    }
}
