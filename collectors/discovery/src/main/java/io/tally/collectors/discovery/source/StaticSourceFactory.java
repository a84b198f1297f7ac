package io.tally.collectors.discovery.source;

import com.codahale.metrics.Clock;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.tally.collectors.discovery.EntryValidator;
import io.tally.collectors.discovery.SourceResult;
import io.tally.collectors.discovery.TargetEntry;
import io.tally.collectors.discovery.TargetSource;
import io.tally.collectors.discovery.TargetSourceFactory;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;
import java.util.List;

/** {@code type: static}: targets listed in config.yml. */
@JsonTypeName("static")
public class StaticSourceFactory implements TargetSourceFactory {
    @JsonProperty
    private String name = "static";

    @NotNull
    @JsonProperty
    private List<TargetEntry> targets = List.of();

    @Override
    public String getName() {
        return name;
    }

    public List<TargetEntry> getTargets() {
        return targets;
    }

    @Override
    public TargetSource build(Clock clock) {
        // Validated once: the list never changes while running.
        SourceResult result = EntryValidator.validate(name, targets);
        return new TargetSource() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public SourceResult discover(Duration timeout) {
                return result;
            }
        };
    }
}
