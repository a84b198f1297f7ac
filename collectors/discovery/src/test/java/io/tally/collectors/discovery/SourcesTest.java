package io.tally.collectors.discovery;

import com.codahale.metrics.Clock;
import com.sun.net.httpserver.HttpServer;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourcesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void staticTargetsAreValidatedWithReasons() throws Exception {
        TargetSource source = TestSupport.source("""
                type: static
                targets:
                  - { name: slack-prod, type: slack, url: "https://hooks.slack.com/services/T0/B0/SECRETXYZ", labels: { team: sre } }
                  - { name: bad name, type: slack, url: "https://example.test/" }
                  - { name: ok-type, type: carrier-pigeon, url: "https://example.test/" }
                  - { name: no-url, type: webhook }
                  - { name: ftp, type: webhook, url: "ftp://example.test/" }
                  - { name: slack-prod, type: slack, url: "https://example.test/" }
                  - { name: redis, type: generic, url: "tcp://127.0.0.1:6379", probe: { timeout: 1s } }
                  - { name: badprobe, type: generic, url: "https://example.test/", probe: { bodyMatch: "(" } }
                """).build(Clock.defaultClock());

        SourceResult result = source.discover(TIMEOUT);

        assertThat(result.targets()).extracting(Target::name).containsExactly("slack-prod", "redis");
        Target slack = result.targets().get(0);
        assertThat(slack.type()).isEqualTo(TargetType.SLACK);
        assertThat(slack.labels()).containsEntry("team", "sre");
        assertThat(slack.source()).isEqualTo("static");
        assertThat(result.targets().get(1).probe().timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(result.invalid()).extracting(InvalidEntry::kind)
                .containsExactly("invalid_name", "invalid_type", "invalid_url", "invalid_url", "duplicate", "invalid_probe");
        assertThat(result.invalid()).allSatisfy(i -> assertThat(i.reason()).doesNotContain("SECRETXYZ"));
    }

    @Test
    void fileSourceReadsTallyEntriesAndPrometheusFileSdByGlob(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("targets.d"));
        Files.writeString(dir.resolve("targets.d/a.yml"), """
                - { name: hook-a, type: webhook, url: "http://127.0.0.1:9001/hook" }
                - targets: [ "127.0.0.1:9100", "127.0.0.1:9101" ]
                  labels: { type: alertmanager, env: prod, __meta_x: dropped }
                """);
        Files.writeString(dir.resolve("targets.d/b.json"), """
                [ { "targets": ["127.0.0.1:9200"], "labels": { "name": "named-am", "__scheme__": "https", "__metrics_path__": "/-/healthy" } },
                  { "name": "oops", "url": "http://x.test/", "colour": "red" } ]
                """);
        Files.writeString(dir.resolve("targets.d/ignored.txt"), "not a target file");
        TargetSource source = TestSupport.source("type: file\nfiles: [ \"" + dir + "/targets.d/*.{yml,json}\" ]\n")
                .build(Clock.defaultClock());

        SourceResult result = source.discover(TIMEOUT);

        assertThat(result.targets()).extracting(Target::name)
                .containsExactly("hook-a", "127.0.0.1:9100", "127.0.0.1:9101", "named-am");
        Target am = result.targets().get(1);
        assertThat(am.type()).isEqualTo(TargetType.ALERTMANAGER);
        assertThat(am.url().toString()).isEqualTo("http://127.0.0.1:9100/");
        assertThat(am.labels()).containsExactly(java.util.Map.entry("env", "prod"));
        assertThat(result.targets().get(3).url().toString()).isEqualTo("https://127.0.0.1:9200/-/healthy");
        assertThat(result.invalid()).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo("malformed");
            assertThat(i.reason()).isEqualTo("unknown key 'colour'");
        });

        assertThat(source.changed()).isFalse();
        Files.writeString(dir.resolve("targets.d/a.yml"), "- { name: hook-b, type: webhook, url: \"http://127.0.0.1:9002/\" }\n");
        assertThat(source.changed()).isTrue();

        Files.writeString(dir.resolve("targets.d/a.yml"), "- { name: [ unclosed\n");
        assertThatThrownBy(() -> source.discover(TIMEOUT)).isInstanceOf(DiscoveryException.class)
                .satisfies(e -> assertThat(((DiscoveryException) e).kind()).isEqualTo("parse"))
                .hasMessageContaining("line");
    }

    @Test
    void httpSourceReadsHttpSdWithAuthorization() throws Exception {
        AtomicReference<String> seenAuth = new AtomicReference<>();
        AtomicReference<Integer> status = new AtomicReference<>(200);
        AtomicReference<String> body = new AtomicReference<>("""
                [ { "targets": ["127.0.0.1:9300"], "labels": { "name": "from-http", "type": "webhook" } } ]
                """);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/sd", exchange -> {
            seenAuth.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            TargetSource source = TestSupport.source("""
                    type: http
                    url: "%s/sd?token=SECRETXYZ"
                    authorization: "Bearer SECRETAUTH"
                    maxSize: 1KiB
                    """.formatted(base)).build(Clock.defaultClock());

            SourceResult result = source.discover(TIMEOUT);
            assertThat(result.targets()).extracting(Target::name).containsExactly("from-http");
            assertThat(seenAuth.get()).isEqualTo("Bearer SECRETAUTH");

            status.set(503);
            assertThatThrownBy(() -> source.discover(TIMEOUT))
                    .satisfies(e -> assertThat(((DiscoveryException) e).kind()).isEqualTo("http_status"))
                    .hasMessageContaining("503").message().doesNotContain("SECRETXYZ");

            status.set(200);
            body.set("[" + "{\"targets\":[\"127.0.0.1:1\"]},".repeat(100) + "{}]");
            assertThatThrownBy(() -> source.discover(TIMEOUT))
                    .satisfies(e -> assertThat(((DiscoveryException) e).kind()).isEqualTo("too_large"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void dnsSourceTurnsSrvAndARecordsIntoTargets() throws Exception {
        try (TinyDnsServer dns = new TinyDnsServer()) {
            dns.srv("_webhook._tcp.example.internal", List.of(new TinyDnsServer.Srv(9400, "hook1.example.internal"),
                    new TinyDnsServer.Srv(9401, "hook2.example.internal")));
            dns.a("hooks.example.internal", List.of("127.0.0.1", "127.0.0.2"));
            String nameserver = "127.0.0.1:" + dns.port();

            SourceResult srv = TestSupport.source("""
                    type: dns
                    dnsName: _webhook._tcp.example.internal
                    recordType: SRV
                    targetType: webhook
                    nameserver: "%s"
                    """.formatted(nameserver)).build(Clock.defaultClock()).discover(TIMEOUT);
            assertThat(srv.targets()).extracting(Target::name)
                    .containsExactlyInAnyOrder("hook1.example.internal:9400", "hook2.example.internal:9401");
            assertThat(srv.targets()).allSatisfy(t -> assertThat(t.type()).isEqualTo(TargetType.WEBHOOK));

            SourceResult a = TestSupport.source("""
                    type: dns
                    name: dns-a
                    dnsName: hooks.example.internal
                    recordType: A
                    port: 8443
                    scheme: https
                    path: /health
                    nameserver: "%s"
                    """.formatted(nameserver)).build(Clock.defaultClock()).discover(TIMEOUT);
            assertThat(a.targets()).extracting(t -> t.url().toString())
                    .containsExactlyInAnyOrder("https://127.0.0.1:8443/health", "https://127.0.0.2:8443/health");
            assertThat(a.targets()).allSatisfy(t -> assertThat(t.source()).isEqualTo("dns-a"));

            TargetSource missing = TestSupport.source("""
                    type: dns
                    dnsName: nothing.example.internal
                    nameserver: "%s"
                    """.formatted(nameserver)).build(Clock.defaultClock());
            assertThatThrownBy(() -> missing.discover(TIMEOUT))
                    .satisfies(e -> assertThat(((DiscoveryException) e).kind()).isEqualTo("dns"));
        }
    }
}
