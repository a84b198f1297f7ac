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

    public PublisherRules() {
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
        return new PublisherRules(pick(override.attempts, attempts), pick(override.failures, failures),
                pick(override.requests, requests), pick(override.requestsFailed, requestsFailed),
                pick(override.latency, latency), override.targetLabels != null ? override.targetLabels : targetLabels,
                pick(override.reasonLabel, reasonLabel));
    }

    /** The same rules with {@code prefix} put before every family name (the generic preset). */
    PublisherRules prefixed(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return this;
        }
        return new PublisherRules(pre(prefix, attempts), pre(prefix, failures), pre(prefix, requests),
                pre(prefix, requestsFailed), pre(prefix, latency), targetLabels, reasonLabel);
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
}
