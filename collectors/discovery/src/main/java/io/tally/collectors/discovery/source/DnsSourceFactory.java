package io.tally.collectors.discovery.source;

import com.codahale.metrics.Clock;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.validation.ValidationMethod;
import io.tally.collectors.core.catalog.TargetType;
import io.tally.collectors.discovery.TargetSource;
import io.tally.collectors.discovery.TargetSourceFactory;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import java.util.Locale;

/**
 * {@code type: dns}: each answer for a name becomes a target. SRV records give host and port; A
 * and AAAA records give addresses and take {@code port} from config.
 */
@JsonTypeName("dns")
public class DnsSourceFactory implements TargetSourceFactory {
    @JsonProperty
    private String name = "dns";

    /** The DNS name to look up, e.g. _webhook._tcp.example.internal. */
    @NotEmpty
    @JsonProperty("dnsName")
    private String dnsName;

    @NotNull
    @Pattern(regexp = "(?i)SRV|A|AAAA", message = "must be SRV, A or AAAA")
    @JsonProperty
    private String recordType = "SRV";

    /** Port for A and AAAA answers. */
    @JsonProperty
    private Integer port;

    @NotNull
    @Pattern(regexp = "http|https|tcp", message = "must be http, https or tcp")
    @JsonProperty
    private String scheme = "http";

    @NotNull
    @JsonProperty
    private String path = "/";

    @NotNull
    @JsonProperty
    private String targetType = "generic";

    /** A name server as host:port; the system resolver when absent. */
    @JsonProperty
    private String nameserver;

    @Override
    public String getName() {
        return name;
    }

    @ValidationMethod(message = "dns sources with recordType A or AAAA need a port")
    public boolean isPortGivenForAddressRecords() {
        return recordType == null || recordType.equalsIgnoreCase("SRV") || port != null;
    }

    @ValidationMethod(message = "targetType must be one of webhook, slack, rootly, pagerduty, alertmanager, generic")
    public boolean isTargetTypeKnown() {
        try {
            TargetType.parse(targetType);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public TargetSource build(Clock clock) {
        return new DnsTargetSource(name, dnsName, recordType.toUpperCase(Locale.ROOT), port, scheme, path, targetType,
                nameserver);
    }
}
