package io.tally.collectors.publisher;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import io.tally.collectors.core.Backoff;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorEnvironment;
import io.tally.collectors.core.PollSettings;
import io.tally.collectors.core.catalog.RedactedUrl;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code type: prometheus}: scrapes a publisher's Prometheus or OpenMetrics endpoint and maps its
 * families to per-target publishing figures by a preset and explicit rules.
 */
@JsonTypeName("prometheus")
public class PrometheusPublisherFactory implements PublisherFactory {
    @NotEmpty
    @JsonProperty
    private String name;

    @NotEmpty
    @JsonProperty
    private String url;

    @NotNull
    @JsonProperty
    private Preset preset = Preset.GENERIC;

    /** Put before every rule's family name (generic preset). */
    @NotNull
    @JsonProperty
    private String prefix = "";

    @Valid
    @JsonProperty
    private PublisherRules rules;

    /** Label values (an integration, a receiver) to Tally target names; unmapped values are used as they are. */
    @NotNull
    @JsonProperty
    private Map<String, String> targetMap = Map.of();

    /** Globs of the publisher's own family names to pass through (retries, breakers, workers, ...). */
    @NotNull
    @JsonProperty
    private List<String> passthrough = List.of();

    @NotNull
    @JsonProperty
    private String passthroughPrefix = "tally_publisher_passthrough_";

    @JsonProperty
    private String authorization;

    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration interval = Duration.seconds(15);

    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration timeout = Duration.seconds(5);

    @NotNull
    @JsonProperty
    private DataSize maxSize = DataSize.mebibytes(10);

    @Min(1)
    @Max(10_000_000)
    @JsonProperty
    private int maxSamples = 200_000;

    @Override
    public String getName() {
        return name;
    }

    /** A generic publisher must say what to read: publishing attempts, a worker role, or a prefix for the worker defaults. */
    @ValidationMethod(message = "a prometheus publisher needs rules.attempts, a worker role (rules.jobsProcessed, ...) "
            + "or a prefix (or preset: alertmanager)")
    public boolean isAttemptsKnown() {
        return preset != Preset.GENERIC || !prefix.isEmpty()
                || (rules != null && (rules.attempts() != null || rules.namesWorkerRole()));
    }

    PublisherRules effectiveRules() {
        return preset.rules().overriddenBy(rules).prefixed(prefix);
    }

    public PublisherSource buildSource(CollectorEnvironment environment) {
        // No backoff: a failed scrape is retried at the next interval, and shown as up 0 till then.
        PollSettings poll = new PollSettings(interval.toJavaDuration(), timeout.toJavaDuration(), Backoff.NONE);
        return new PublisherSource(new PublisherSettings(name, RedactedUrl.parse(url), authorization, effectiveRules(),
                targetMap, passthrough, maxSize.toBytes(), maxSamples, poll), environment.clock(), environment.scheduler());
    }

    @Override
    public Collector build(CollectorEnvironment environment) {
        PublisherSource source = buildSource(environment);
        environment.manage(source);
        return new PublisherCollector(source, passthroughPrefix);
    }
}
