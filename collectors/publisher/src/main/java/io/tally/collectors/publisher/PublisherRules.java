package io.tally.collectors.publisher;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Which of a publisher's families mean what. Every field is optional; a preset fills the ones it
 * knows and explicit rules override them.
 *
 * @see Preset
 */
public class PublisherRules {
    /** Counter of notifications attempted. */
    @JsonProperty
    private String attempts;
    /** Counter of notifications that failed. */
    @JsonProperty
    private String failures;
    /** Counter of requests sent (retries included). */
    @JsonProperty
    private String requests;
    /** Counter of requests that failed. */
    @JsonProperty
    private String requestsFailed;
    /** Histogram of delivery latency in seconds. */
    @JsonProperty
    private String latency;
    /** Labels that name the target, first present wins. */
    @JsonProperty
    private List<String> targetLabels;
    /** Label of the failures counter that gives the reason. */
    @JsonProperty
    private String reasonLabel;

    // Publishing worker roles (docs/collectors/workers.md#scraped): families of a notifier's own
    // worker figures, mapped to Tally's worker model.
    /** Counter of finished jobs, by {@link #outcomeLabel}. */
    @JsonProperty
    private String jobsProcessed;
    /** Counter of retries, by {@link #errorTypeLabel}. */
    @JsonProperty
    private String retries;
    /** Gauge of breaker state: 1 on the series whose {@link #stateLabel} is the current state, or one number 0/1/2. */
    @JsonProperty
    private String breakerState;
    /** Gauge of workers by {@link #stateLabel} (active, idle); no target label needed. */
    @JsonProperty
    private String workers;
    /** Counter of dead-letter writes, by {@link #errorTypeLabel}. */
    @JsonProperty
    private String dlqWrites;
    /** Counter of dead-letter replays, by {@link #resultLabel}. */
    @JsonProperty
    private String dlqReplays;
    @JsonProperty
    private String outcomeLabel;
    @JsonProperty
    private String errorTypeLabel;
    @JsonProperty
    private String stateLabel;
    @JsonProperty
    private String resultLabel;

    public PublisherRules() {
    }

    /** The generic preset's names for the worker roles, as the seed pipeline named its figures. */
    PublisherRules withWorkerDefaults() {
        PublisherRules r = copy();
        r.jobsProcessed = "jobs_processed_total";
        r.retries = "retry_attempts_total";
        r.breakerState = "circuit_breaker_state";
        r.workers = "workers";
        r.dlqWrites = "dlq_writes_total";
        r.dlqReplays = "dlq_replays_total";
        return r;
    }

    private PublisherRules copy() {
        PublisherRules r = new PublisherRules(attempts, failures, requests, requestsFailed, latency, targetLabels,
                reasonLabel);
        r.jobsProcessed = jobsProcessed;
        r.retries = retries;
        r.breakerState = breakerState;
        r.workers = workers;
        r.dlqWrites = dlqWrites;
        r.dlqReplays = dlqReplays;
        r.outcomeLabel = outcomeLabel;
        r.errorTypeLabel = errorTypeLabel;
        r.stateLabel = stateLabel;
        r.resultLabel = resultLabel;
        return r;
    }

    /** True when the user named any worker role explicitly. */
    boolean namesWorkerRole() {
        return jobsProcessed != null || retries != null || breakerState != null || workers != null
                || dlqWrites != null || dlqReplays != null;
    }

    PublisherRules(String attempts, String failures, String requests, String requestsFailed, String latency,
                   List<String> targetLabels, String reasonLabel) {
        this.attempts = attempts;
        this.failures = failures;
        this.requests = requests;
        this.requestsFailed = requestsFailed;
        this.latency = latency;
        this.targetLabels = targetLabels;
        this.reasonLabel = reasonLabel;
    }

    /** These rules with every field that {@code override} sets replaced. */
    PublisherRules overriddenBy(PublisherRules override) {
        if (override == null) {
            return this;
        }
        PublisherRules r = new PublisherRules(pick(override.attempts, attempts), pick(override.failures, failures),
                pick(override.requests, requests), pick(override.requestsFailed, requestsFailed),
                pick(override.latency, latency), override.targetLabels != null ? override.targetLabels : targetLabels,
                pick(override.reasonLabel, reasonLabel));
        r.jobsProcessed = pick(override.jobsProcessed, jobsProcessed);
        r.retries = pick(override.retries, retries);
        r.breakerState = pick(override.breakerState, breakerState);
        r.workers = pick(override.workers, workers);
        r.dlqWrites = pick(override.dlqWrites, dlqWrites);
        r.dlqReplays = pick(override.dlqReplays, dlqReplays);
        r.outcomeLabel = pick(override.outcomeLabel, outcomeLabel);
        r.errorTypeLabel = pick(override.errorTypeLabel, errorTypeLabel);
        r.stateLabel = pick(override.stateLabel, stateLabel);
        r.resultLabel = pick(override.resultLabel, resultLabel);
        return r;
    }

    /** The same rules with {@code prefix} put before every family name (the generic preset). */
    PublisherRules prefixed(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return this;
        }
        PublisherRules r = copy();
        r.attempts = pre(prefix, attempts);
        r.failures = pre(prefix, failures);
        r.requests = pre(prefix, requests);
        r.requestsFailed = pre(prefix, requestsFailed);
        r.latency = pre(prefix, latency);
        r.jobsProcessed = pre(prefix, jobsProcessed);
        r.retries = pre(prefix, retries);
        r.breakerState = pre(prefix, breakerState);
        r.workers = pre(prefix, workers);
        r.dlqWrites = pre(prefix, dlqWrites);
        r.dlqReplays = pre(prefix, dlqReplays);
        return r;
    }

    private static String pre(String prefix, String name) {
        return name == null || name.startsWith(prefix) ? name : prefix + name;
    }

    private static <T> T pick(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }

    public String attempts() {
        return attempts;
    }

    public String failures() {
        return failures;
    }

    public String requests() {
        return requests;
    }

    public String requestsFailed() {
        return requestsFailed;
    }

    public String latency() {
        return latency;
    }

    public List<String> targetLabels() {
        return targetLabels == null ? List.of() : targetLabels;
    }

    public String reasonLabel() {
        return reasonLabel;
    }

    public String jobsProcessed() {
        return jobsProcessed;
    }

    public String retries() {
        return retries;
    }

    public String breakerState() {
        return breakerState;
    }

    public String workers() {
        return workers;
    }

    public String dlqWrites() {
        return dlqWrites;
    }

    public String dlqReplays() {
        return dlqReplays;
    }

    public String outcomeLabel() {
        return outcomeLabel == null ? "outcome" : outcomeLabel;
    }

    public String errorTypeLabel() {
        return errorTypeLabel == null ? "error_type" : errorTypeLabel;
    }

    public String stateLabel() {
        return stateLabel == null ? "state" : stateLabel;
    }

    public String resultLabel() {
        return resultLabel == null ? "result" : resultLabel;
    }
}
