package io.tally.collectors.queue;

import io.tally.collectors.core.MetricDescriptor;

/** The families queue collectors write. */
public final class QueueMetrics {
    private static final String[] QUEUE = {"source", "broker", "queue", "target", "priority", "role"};
    private static final String[] SOURCE = {"source", "broker"};

    public static final MetricDescriptor DEPTH = MetricDescriptor.gauge("tally_queue_depth",
            "Messages waiting in the queue (role=\"dlq\" for dead-letter queues).", "", QUEUE);
    public static final MetricDescriptor EXISTS = MetricDescriptor.gauge("tally_queue_exists",
            "1 when the queue exists on the broker.", "", QUEUE);
    public static final MetricDescriptor CONSUMERS = MetricDescriptor.gauge("tally_queue_consumers",
            "Consumers the broker reports for the queue.", "", QUEUE);
    public static final MetricDescriptor UNACKED = MetricDescriptor.gauge("tally_queue_unacked",
            "Messages delivered but not yet acknowledged.", "", QUEUE);
    public static final MetricDescriptor LAG = MetricDescriptor.gauge("tally_queue_lag",
            "Messages not yet delivered to the consumer group.", "", QUEUE);
    public static final MetricDescriptor REDELIVERED = MetricDescriptor.counter("tally_queue_redelivered",
            "Messages delivered more than once.", "", QUEUE);
    public static final MetricDescriptor CAPACITY = MetricDescriptor.gauge("tally_queue_capacity",
            "The queue's configured capacity.", "", QUEUE);
    public static final MetricDescriptor UTILIZATION = MetricDescriptor.gauge("tally_queue_utilization_ratio",
            "Depth over capacity.", "ratio", QUEUE);
    public static final MetricDescriptor DEPTH_CHANGE = MetricDescriptor.gauge("tally_queue_depth_change_per_second",
            "How fast the depth moved over the verdict window.", "", QUEUE);
    public static final MetricDescriptor MAX_PARTITION_LAG = MetricDescriptor.gauge("tally_queue_max_partition_lag",
            "The consumer group's largest lag in one partition (Kafka); tally_queue_lag is the sum.", "", QUEUE);
    public static final MetricDescriptor PARTITIONS = MetricDescriptor.gauge("tally_queue_partitions",
            "Partitions of the topic (Kafka).", "", QUEUE);
    public static final MetricDescriptor MESSAGES_IN = MetricDescriptor.gauge("tally_queue_messages_in_per_second",
            "Messages written per second over the verdict window (Kafka log-end offsets).", "", QUEUE);
    public static final MetricDescriptor CONSUMED = MetricDescriptor.gauge("tally_queue_consumed_per_second",
            "Messages the consumer group committed per second over the verdict window (Kafka).", "", QUEUE);
    private static final String[] QUEUE_VERDICT = {"source", "broker", "queue", "target", "priority", "role", "verdict"};
    public static final MetricDescriptor VERDICT = MetricDescriptor.gauge("tally_queue_verdict",
            "The queue's verdict over the window: 1 for the current one (ok, warn, stalled, stopped).", "",
            QUEUE_VERDICT);

    public static final MetricDescriptor CONNECTED = MetricDescriptor.gauge("tally_queue_source_connected",
            "1 while the source is connected to its broker.", "", SOURCE);
    public static final MetricDescriptor RECONNECTS = MetricDescriptor.counter("tally_queue_source_reconnect_attempts",
            "Connection attempts after the first.", "", SOURCE);
    public static final MetricDescriptor POLL_DURATION = MetricDescriptor.gauge("tally_queue_source_poll_duration_seconds",
            "How long the latest poll took.", "seconds", SOURCE);
    public static final MetricDescriptor POLL_ERRORS = MetricDescriptor.counter("tally_queue_source_poll_errors",
            "Failed polls by kind: connect, timeout, auth, protocol, io, internal.", "", "source", "broker", "kind");
    public static final MetricDescriptor DROPPED = MetricDescriptor.gauge("tally_queue_source_queues_dropped",
            "Queues matched but not reported because of maxQueues.", "", SOURCE);

    private QueueMetrics() {
    }
}
