package io.tally.collectors.discovery.source;

import com.codahale.metrics.Clock;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.util.DataSize;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.discovery.TargetSource;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

/**
 * {@code type: http}: a Prometheus {@code http_sd} endpoint (a JSON list of target groups, or of
 * Tally entries), fetched on every refresh.
 */
@JsonTypeName("http")
public class HttpSourceFactory extends TargetGroupSourceFactory {
    @JsonProperty
    private String name = "http";

    @NotEmpty
    @JsonProperty
    private String url;

    /** Sent as the Authorization header, e.g. "Bearer ${SD_TOKEN}"; never shown anywhere. */
    @JsonProperty
    private String authorization;

    @NotNull
    @JsonProperty
    private DataSize maxSize = DataSize.mebibytes(4);

    @Override
    public String getName() {
        return name;
    }

    @Override
    public TargetSource build(Clock clock) {
        return new HttpTargetSource(name, RedactedUrl.parse(url), authorization, maxSize.toBytes(),
                documents());
    }
}
