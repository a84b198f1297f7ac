package io.tally.app.trends;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MaxDuration;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import io.dropwizard.validation.ValidationMethod;
import io.tally.collectors.core.catalog.RedactedUrl;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.util.concurrent.TimeUnit;

/**
 * {@code trends.prometheus}: where trends come from with {@code trends.backend: prometheus}. Anything
 * that speaks Prometheus' HTTP query API (Prometheus, Thanos Query, Mimir, VictoriaMetrics) and
 * scrapes every Tally replica.
 */
public class PrometheusBackendConfiguration {
    /**
     * The query API's base, e.g. {@code http://prometheus:9090} or Mimir's {@code http://mimir/prometheus};
     * it may hold credentials, so it is read but never written back out.
     */
    @JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
    private String url;

    /** Sent as {@code Authorization: Bearer}; a secret, never written back out. */
    @JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
    private String bearerToken;

    /** Label matchers added to every selector, so that only this deployment's replicas count: {@code job="tally"}. */
    @JsonProperty
    private String matchers = "";

    /** The deadline for one whole query exchange (connect, TLS, headers, body). */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    @MaxDuration(value = 60, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration timeout = Duration.seconds(5);

    /** Largest answer read; a larger one is refused. */
    @NotNull
    @MinDataSize(value = 1, unit = io.dropwizard.util.DataSizeUnit.KIBIBYTES)
    @JsonProperty
    private DataSize maxBodySize = DataSize.mebibytes(4);

    /** At most this many points per query: the step grows to keep under it. */
    @Min(10)
    @Max(11_000)
    @JsonProperty
    private int maxPoints = 1000;

    /** The range of rate() for latency quantiles; at least two scrape intervals. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    @JsonProperty
    private Duration rateInterval = Duration.minutes(1);

    @Valid
    @NotNull
    @JsonProperty
    private TlsSettings tls = new TlsSettings();

    /** Trust for an https {@code url}: a CA bundle in PEM, or no verification (tests, never production). */
    public static class TlsSettings {
        @JsonProperty
        private String caFile;

        @JsonProperty
        private boolean insecureSkipVerify;

        public String caFile() {
            return caFile;
        }

        public boolean insecureSkipVerify() {
            return insecureSkipVerify;
        }
    }

    @ValidationMethod(message = "trends.prometheus.url must be an http(s) URL with a host, like http://prometheus:9090")
    @JsonIgnore
    public boolean isUrlUsable() {
        if (url == null) {
            return true;
        }
        try {
            RedactedUrl parsed = RedactedUrl.parse(url);
            return parsed.scheme().equals("http") || parsed.scheme().equals("https");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @ValidationMethod(message = "trends.prometheus.tls.caFile is not a readable file")
    @JsonIgnore
    public boolean isCaFileReadable() {
        return tls.caFile() == null || tls.caFile().isBlank() || java.nio.file.Files.isReadable(
                java.nio.file.Path.of(tls.caFile()));
    }

    @ValidationMethod(message = "trends.prometheus.matchers must be label matchers like job=\"tally\", "
            + "namespace=~\"mon.*\" (no braces)")
    @JsonIgnore
    public boolean isMatchersUsable() {
        return matchers == null || matchers.isBlank() || matchers.matches(
                "\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*(=|!=|=~|!~)\\s*\"(?:[^\"\\\\]|\\\\.)*\"\\s*"
                        + "(,\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*(=|!=|=~|!~)\\s*\"(?:[^\"\\\\]|\\\\.)*\"\\s*)*,?\\s*");
    }

    public String url() {
        return url;
    }

    public String bearerToken() {
        return bearerToken;
    }

    public String matchers() {
        return matchers == null ? "" : matchers.strip().replaceAll(",$", "");
    }

    public java.time.Duration timeout() {
        return timeout.toJavaDuration();
    }

    public long maxBodyBytes() {
        return maxBodySize.toBytes();
    }

    public int maxPoints() {
        return maxPoints;
    }

    public long rateIntervalMillis() {
        return rateInterval.toMilliseconds();
    }

    public TlsSettings tls() {
        return tls;
    }
}
