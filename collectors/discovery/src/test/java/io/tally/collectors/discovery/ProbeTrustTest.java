package io.tally.collectors.discovery;

import com.codahale.metrics.Clock;
import com.sun.net.httpserver.HttpServer;
import io.tally.collectors.core.catalog.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whoever writes a target file or runs an http_sd server may say where Tally probes, but not what
 * it sends: method, headers, a body match and {@code tlsVerify: false} come only from config.yml or
 * from a source that says {@code trustProbeSettings: true}. A refused entry says which setting.
 */
@Timeout(60)
class ProbeTrustTest {
    private static final String DOCUMENT = """
            [ { "name": "plain", "url": "http://127.0.0.1:9/" },
              { "name": "timed", "url": "http://127.0.0.1:9/", "probe": { "timeout": "2s", "expectedStatus": [ 204 ] } },
              { "name": "headers", "url": "http://127.0.0.1:9/", "probe": { "headers": { "Authorization": "Bearer SECRETVALUE" } } },
              { "name": "method", "url": "http://127.0.0.1:9/", "probe": { "method": "POST" } },
              { "name": "body", "url": "http://127.0.0.1:9/", "probe": { "bodyMatch": "ok" } },
              { "name": "insecure", "url": "https://127.0.0.1:9/", "probe": { "tlsVerify": false } },
              { "name": "verified", "url": "https://127.0.0.1:9/", "probe": { "tlsVerify": true } } ]
            """;

    @Test
    void aTargetFileMayNotSetWhatTheProberSends(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("targets.json");
        Files.writeString(file, DOCUMENT);
        SourceResult untrusted = TestSupport.source("""
                type: file
                files: [ "%s" ]
                """.formatted(file)).build(Clock.defaultClock()).discover(Duration.ofSeconds(5));
        assertThat(untrusted.targets()).extracting(Target::name).containsExactly("plain", "timed", "verified");
        Map<String, InvalidEntry> refused = untrusted.invalid().stream()
                .collect(Collectors.toMap(InvalidEntry::entry, i -> i));
        assertThat(refused).containsOnlyKeys("headers", "method", "body", "insecure");
        assertThat(refused.values()).allSatisfy(i -> {
            assertThat(i.kind()).isEqualTo("untrusted_probe");
            assertThat(i.reason()).contains("trustProbeSettings: true").doesNotContain("SECRETVALUE");
        });
        assertThat(refused.get("headers").reason()).contains("(headers)");
        assertThat(refused.get("insecure").reason()).contains("(tlsVerify: false)");

        SourceResult trusted = TestSupport.source("""
                type: file
                files: [ "%s" ]
                trustProbeSettings: true
                """.formatted(file)).build(Clock.defaultClock()).discover(Duration.ofSeconds(5));
        assertThat(trusted.invalid()).isEmpty();
        assertThat(trusted.targets()).hasSize(7);
    }

    @Test
    void anHttpSdServerMayNotEither() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/targets", exchange -> {
            byte[] body = DOCUMENT.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            SourceResult result = TestSupport.source("""
                    type: http
                    url: "http://127.0.0.1:%d/targets"
                    """.formatted(server.getAddress().getPort())).build(Clock.defaultClock())
                    .discover(Duration.ofSeconds(5));
            assertThat(result.targets()).extracting(Target::name).containsExactly("plain", "timed", "verified");
            assertThat(result.invalid()).extracting(InvalidEntry::kind).containsOnly("untrusted_probe").hasSize(4);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBacktrackingPatternIsAcceptedButRunsInLinearTimeAndRe2SyntaxIsRequired() throws Exception {
        SourceResult result = TestSupport.source("""
                type: static
                targets:
                  - { name: nested, url: "http://127.0.0.1:9/", probe: { bodyMatch: "(a+)+$" } }
                  - { name: backreference, url: "http://127.0.0.1:9/", probe: { bodyMatch: "(a)\\\\1" } }
                """).build(Clock.defaultClock()).discover(Duration.ofSeconds(5));
        assertThat(result.targets()).extracting(Target::name).containsExactly("nested");
        assertThat(result.invalid()).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo("invalid_probe");
            assertThat(i.reason()).contains("RE2");
        });
        // 100 000 a's then a b: java.util.regex backtracks exponentially on this; RE2 answers at once.
        String body = "a".repeat(100_000) + "b";
        assertThat(result.targets().get(0).probe().bodyMatch().foundIn(body)).isFalse();
    }
}
