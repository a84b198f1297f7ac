package io.tally.collectors.discovery;

import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.core.catalog.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Probe settings the prober cannot send (java.net.http throws on them, and the target would stay
 * unknown forever) are refused when discovered: an {@code invalid_probe} entry with its reason, in
 * the discovery state, the metrics and the snapshot's facts. Read from a real target file.
 */
@Timeout(60)
class InvalidProbeSettingsTest {
    private final StandaloneEnvironment environment = new StandaloneEnvironment();

    @AfterEach
    void close() throws Exception {
        environment.close();
    }

    @Test
    void probeSettingsTheProberCannotSendAreInvalidEntriesWithTheirReason(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("targets.yml");
        Files.writeString(file, """
                - { name: fine, url: "http://127.0.0.1:9/", probe: { timeout: 2s, headers: { X-Token: SECRETVALUE } } }
                - { name: zero, url: "http://127.0.0.1:9/", probe: { timeout: 0s } }
                - { name: tiny, url: "http://127.0.0.1:9/", probe: { timeout: 1ms } }
                - { name: negative, url: "http://127.0.0.1:9/", probe: { timeout: "-1s" } }
                - { name: hour, url: "http://127.0.0.1:9/", probe: { timeout: 1h } }
                - { name: overflow, url: "http://127.0.0.1:9/", probe: { timeout: 9999999999999999d } }
                - { name: host, url: "http://127.0.0.1:9/", probe: { headers: { Host: SECRETVALUE.example } } }
                - { name: length, url: "http://127.0.0.1:9/", probe: { headers: { content-length: "5" } } }
                - { name: chunked, url: "http://127.0.0.1:9/", probe: { headers: { Transfer-Encoding: chunked } } }
                - { name: upgrade, url: "http://127.0.0.1:9/", probe: { headers: { Upgrade: h2c } } }
                - { name: expect, url: "http://127.0.0.1:9/", probe: { headers: { Expect: 100-continue } } }
                - { name: keepalive, url: "http://127.0.0.1:9/", probe: { headers: { Connection: close } } }
                - { name: crlf, url: "http://127.0.0.1:9/", probe: { headers: { X-A: "SECRETVALUE\\r\\nX-B: 1" } } }
                - { name: spaced, url: "http://127.0.0.1:9/", probe: { headers: { "X Bad": "1" } } }
                - { name: empty, url: "http://127.0.0.1:9/", probe: { headers: { X-Nothing: } } }
                """);
        DiscoveryFactory.Components components = TestSupport.discovery("""
                refresh: { interval: 1h }
                sources:
                  - type: file
                    files: [ "%s" ]
                    trustProbeSettings: true
                """.formatted(file)).build(environment);
        environment.start();

        DiscoveryState state = components.manager().state();
        assertThat(state.status()).as(String.valueOf(state.lastError())).isEqualTo(RefreshStatus.SUCCESS);
        assertThat(environment.targets().current().targets()).extracting(Target::name).containsExactly("fine");
        Map<String, String> reasons = state.invalid().stream()
                .collect(Collectors.toMap(InvalidEntry::entry, InvalidEntry::reason));
        assertThat(state.invalid()).allSatisfy(i -> {
            assertThat(i.kind()).isEqualTo("invalid_probe");
            assertThat(i.source()).isEqualTo("file");
            assertThat(i.reason()).doesNotContain("SECRETVALUE");
        });
        assertThat(reasons).containsOnlyKeys("zero", "tiny", "negative", "hour", "overflow", "host", "length",
                "chunked", "upgrade", "expect", "keepalive", "crlf", "spaced", "empty");
        assertThat(reasons.get("zero")).isEqualTo("probe.timeout must be between 10ms and 5m, not 0s");
        assertThat(reasons.get("tiny")).isEqualTo("probe.timeout must be between 10ms and 5m, not 1ms");
        assertThat(reasons.get("hour")).isEqualTo("probe.timeout must be between 10ms and 5m, not 1h");
        assertThat(reasons.get("negative")).isEqualTo("probe.timeout '-1s' is not a duration like 5s");
        assertThat(reasons.get("overflow")).isEqualTo("probe.timeout must be between 10ms and 5m, not 9999999999999999d");
        assertThat(reasons.get("host")).isEqualTo("probe.headers: 'Host' cannot be set: the prober's HTTP client owns it");
        assertThat(reasons.get("chunked")).contains("'Transfer-Encoding' cannot be set");
        assertThat(reasons.get("crlf")).isEqualTo("probe.headers: the value of 'X-A' is not a valid header value"
                + " (visible characters, spaces and tabs, at most 8192)");
        assertThat(reasons.get("spaced")).startsWith("probe.headers: 'X Bad' is not a header name");
        assertThat(reasons.get("empty")).isEqualTo("probe.headers: 'X-Nothing' has no value");

        try (CollectorRegistry registry = new CollectorRegistry(components.collectors(), Duration.ofSeconds(1),
                environment.clock())) {
            Snapshot snapshot = registry.collect();
            MetricFamily invalid = snapshot.family("tally_discovery_invalid_targets");
            assertThat(invalid.samples()).extracting(Sample::labelValues, Sample::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(List.of("file", "invalid_probe"), 14.0));
            // The snapshot carries each refusal, under the entry's name, for /stats and /stats/{target}.
            assertThat(snapshot.targets().facts("zero", InvalidEntryFact.class)).containsExactly(
                    new InvalidEntryFact("file", "zero", "invalid_probe",
                            "probe.timeout must be between 10ms and 5m, not 0s"));
            assertThat(snapshot.targets().facts("fine", InvalidEntryFact.class)).isEmpty();
        }
    }
}
