package io.tally.collectors.publisher;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;
import java.util.Locale;

/** Rules for publishers Tally knows. */
public enum Preset {
    /**
     * Alertmanager's notification metrics. The target is {@code receiver_name} when Alertmanager
     * runs with {@code --enable-feature=receiver-name-in-metrics}, else the {@code integration}.
     */
    ALERTMANAGER(new PublisherRules("alertmanager_notifications_total", "alertmanager_notifications_failed_total",
            "alertmanager_notification_requests_total", "alertmanager_notification_requests_failed_total",
            "alertmanager_notification_latency_seconds", List.of("receiver_name", "integration"), "reason")),
    /**
     * Nothing known of publishing: {@code prefix} plus explicit rules. The worker roles default to
     * the seed pipeline's names ({@code jobs_processed_total}, {@code retry_attempts_total},
     * {@code circuit_breaker_state}, {@code workers}, {@code dlq_writes_total}, {@code dlq_replays_total}),
     * after the prefix, so a notifier that exposes those maps in with a prefix alone.
     */
    GENERIC(new PublisherRules(null, null, null, null, null, List.of("target"), "reason").withWorkerDefaults());

    private final PublisherRules rules;

    Preset(PublisherRules rules) {
        this.rules = rules;
    }

    public PublisherRules rules() {
        return rules;
    }

    @JsonValue
    /** Lower-cased once: labels are written for every series. */
    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    @JsonCreator
    public static Preset parse(String value) {
        for (Preset preset : values()) {
            if (preset.label().equalsIgnoreCase(value)) {
                return preset;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + value + "' (alertmanager or generic)");
    }
}
