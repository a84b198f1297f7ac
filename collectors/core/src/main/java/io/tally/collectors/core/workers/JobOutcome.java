package io.tally.collectors.core.workers;

import java.util.Locale;

/** How a publishing job ended, as {@code tally_jobs_processed_total{outcome}} and the ingest API spell it. */
public enum JobOutcome {
    SUCCESS, FAILED, RETRIED, DEAD_LETTERED;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }

    /** The outcome a label names, or null when it names none (the caller says why it refused it). */
    public static JobOutcome parse(String value) {
        for (JobOutcome outcome : values()) {
            if (outcome.label.equals(value)) {
                return outcome;
            }
        }
        return null;
    }

    /**
     * The outcome a scraped notifier's own word most likely means ({@code ok}, {@code error},
     * {@code dlq}, ...), or null when it is none of the known spellings.
     */
    public static JobOutcome fromForeign(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "success", "succeeded", "ok", "delivered", "sent", "done" -> SUCCESS;
            case "failed", "failure", "error", "errored" -> FAILED;
            case "retried", "retry", "requeued" -> RETRIED;
            case "dead_lettered", "deadlettered", "dead_letter", "dlq", "dead" -> DEAD_LETTERED;
            default -> null;
        };
    }
}
