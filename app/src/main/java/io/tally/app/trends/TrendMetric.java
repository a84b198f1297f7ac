package io.tally.app.trends;

import java.util.Arrays;
import java.util.Locale;

/** What the trend store records for the system and for each target. */
public enum TrendMetric {
    SUCCESS_RATIO, ERROR_RATIO, LATENCY_P95_SECONDS, QUEUE_DEPTH, HEALTHY_TARGETS,
    /** Job retries per second between two snapshots, from the worker figures. */
    RETRY_RATE,
    /** Total time circuit breakers spent open: rising while one is open. */
    BREAKER_OPEN_SECONDS,
    /** Jobs written to dead-letter queues in total: its slope is the DLQ's growth. */
    DLQ_WRITES;

    /** Every label, for error messages. */
    public static String labels() {
        return String.join(", ", Arrays.stream(values()).map(TrendMetric::label).toList());
    }

    /** Lower-cased once: labels are written for every series. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    public static TrendMetric parse(String value) {
        return Arrays.stream(values()).filter(m -> m.label().equals(value)).findFirst().orElse(null);
    }

    static String key(TrendMetric metric, String target) {
        return target == null ? "system:" + metric.label() : "target:" + target + ":" + metric.label();
    }
}
