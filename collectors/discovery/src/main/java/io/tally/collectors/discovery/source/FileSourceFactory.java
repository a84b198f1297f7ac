package io.tally.collectors.discovery.source;

import com.codahale.metrics.Clock;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.tally.collectors.discovery.TargetSource;
import jakarta.validation.constraints.NotEmpty;

import java.util.List;

/**
 * {@code type: file}: YAML or JSON target files by glob, Tally entries or Prometheus
 * {@code file_sd} groups. The files are re-read on every refresh and watched: a change is noticed
 * within {@code discovery.refresh.watchInterval} and triggers a refresh.
 */
@JsonTypeName("file")
public class FileSourceFactory extends TargetGroupSourceFactory {
    @JsonProperty
    private String name = "file";

    @NotEmpty
    @JsonProperty
    private List<String> files = List.of();

    @Override
    public String getName() {
        return name;
    }

    @Override
    public TargetSource build(Clock clock) {
        return new FileTargetSource(name, files, documents());
    }
}
