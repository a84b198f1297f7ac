package io.tally.collectors.discovery;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * A target as written in config.yml or a target file, before validation: every field is text so
 * that a bad value becomes an invalid entry with a reason, not a parse failure of the whole file.
 */
public record TargetEntry(@JsonProperty("name") String name,
                          @JsonProperty("type") String type,
                          @JsonProperty("url") String url,
                          @JsonProperty("enabled") Boolean enabled,
                          @JsonProperty("labels") Map<String, String> labels,
                          @JsonProperty("probe") Probe probe) {

    /** Per-target probe overrides as written. */
    public record Probe(@JsonProperty("method") String method,
                        @JsonProperty("expectedStatus") List<Integer> expectedStatus,
                        @JsonProperty("timeout") String timeout,
                        @JsonProperty("bodyMatch") String bodyMatch,
                        @JsonProperty("tlsVerify") Boolean tlsVerify,
                        @JsonProperty("headers") Map<String, String> headers) {

        @Override
        public String toString() {
            return "Probe[method=" + method + ", headers=" + (headers == null ? null : headers.keySet()) + "]";
        }
    }

    @Override
    public String toString() {
        // The url may be a secret: never print it.
        return "TargetEntry[name=" + name + ", type=" + type + "]";
    }
}
