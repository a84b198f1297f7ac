package io.tally.collectors.health;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.DataSizeUnit;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDataSize;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorEnvironment;
import io.tally.collectors.core.probe.ProbeLimits;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@code health:} block: how targets are probed and judged. Builds the prober and the health collector. */
public class HealthFactory {
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration interval = Duration.seconds(30);

    @NotNull
    @MinDuration(value = 10, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    private Duration timeout = Duration.seconds(5);

    @Min(1)
    @Max(10_000)
    @JsonProperty
    private int concurrency = 64;

    @Min(1)
    @Max(1_000)
    @JsonProperty
    private int unhealthyAfter = 3;

    @NotNull
    @JsonProperty
    private Duration degradedLatency = Duration.seconds(2);

    /** Probes that count towards each target's success ratio. */
    @Min(1)
    @Max(64)
    @JsonProperty
    private int window = 20;

    /** Each probe starts up to this fraction of the interval later than its slot. */
    @DecimalMin("0")
    @DecimalMax("1")
    @JsonProperty
    private double jitter = 0;

    /** Added to the networks always denied (cloud metadata, link-local, unspecified). */
    @NotNull
    @JsonProperty
    private List<String> denyNetworks = List.of();

    /** When given, probes may reach only these networks (denied ones still excepted). */
    @NotNull
    @JsonProperty
    private List<String> allowNetworks = List.of();

    @NotNull
    @Pattern(regexp = "(?i)GET|HEAD|POST|OPTIONS", message = "must be GET, HEAD, POST or OPTIONS")
    @JsonProperty
    private String method = "GET";

    /** Status codes that count as success; empty means any 2xx. */
    @NotNull
    @JsonProperty
    private List<Integer> expectedStatus = List.of();

    @JsonProperty
    private boolean tlsVerify = true;

    @NotNull
    @JsonProperty
    private Map<String, String> headers = Map.of();

    @NotNull
    @JsonProperty
    private String userAgent = "tally-health";

    /** A probe reads a body to its end but no further than this; a larger body fails the probe ({@code body}). */
    @NotNull
    @MaxDataSize(value = 1, unit = DataSizeUnit.GIBIBYTES)
    @JsonProperty
    private DataSize maxBodySize = DataSize.mebibytes(1);

    @ValidationMethod(message = "health.denyNetworks must hold CIDR blocks like 10.0.0.0/8 or fd00::/8")
    public boolean isDenyNetworksValid() {
        return cidrs(denyNetworks);
    }

    @ValidationMethod(message = "health.allowNetworks must hold CIDR blocks like 10.0.0.0/8 or fd00::/8")
    public boolean isAllowNetworksValid() {
        return cidrs(allowNetworks);
    }

    @ValidationMethod(message = "health.headers: names must be header names, values printable, and Host, "
            + "Content-Length, Connection, Transfer-Encoding, Upgrade, Expect and the like cannot be set")
    public boolean isHeadersValid() {
        try {
            ProbeLimits.requireValidHeaders(headers);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean cidrs(List<String> blocks) {
        try {
            NetworkBlocks.parse(blocks);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // Prometheus allows a scrape timeout equal to its interval, and users copy those settings.
    @ValidationMethod(message = "health.timeout must not be longer than health.interval")
    public boolean isTimeoutWithinInterval() {
        return timeout == null || interval == null || timeout.toMilliseconds() <= interval.toMilliseconds();
    }

    public Collector build(CollectorEnvironment environment) {
        HealthProber prober = buildProber(environment);
        environment.manage(prober);
        return new HealthCollector(prober);
    }

    HealthProber buildProber(CollectorEnvironment environment) {
        ProbeSettings defaults = new ProbeSettings(method.toUpperCase(Locale.ROOT), expectedStatus,
                timeout.toJavaDuration(), null, tlsVerify, headers);
        return new HealthProber(environment.targets(), environment.clock(), environment.scheduler(),
                interval.toJavaDuration(), jitter, concurrency, defaults,
                new HealthRules(unhealthyAfter, degradedLatency.toNanoseconds() / 1e9, window),
                new ProbeNetworks(denyNetworks, allowNetworks), userAgent, maxBodySize.toBytes());
    }
}
