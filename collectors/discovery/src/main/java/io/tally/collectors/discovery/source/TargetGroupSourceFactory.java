package io.tally.collectors.discovery.source;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tally.collectors.discovery.TargetDocuments;
import io.tally.collectors.discovery.TargetSourceFactory;
import jakarta.validation.constraints.NotNull;

/**
 * What sources reading Prometheus target groups ({@code file}, {@code http}) share: which labels
 * name and type a target, and the type of those without one.
 */
public abstract class TargetGroupSourceFactory implements TargetSourceFactory {
    @NotNull
    @JsonProperty
    private String nameLabel = "name";

    @NotNull
    @JsonProperty
    private String typeLabel = "type";

    @NotNull
    @JsonProperty
    private String defaultType = "generic";

    /**
     * Whoever writes these documents may also set a target's method, headers, body match and
     * {@code tlsVerify: false}. Off by default: a file or an http_sd server is less trusted than
     * config.yml, and those settings decide what the prober sends.
     */
    @JsonProperty
    private boolean trustProbeSettings = false;

    protected TargetDocuments documents() {
        return new TargetDocuments(nameLabel, typeLabel, defaultType, trustProbeSettings);
    }
}
