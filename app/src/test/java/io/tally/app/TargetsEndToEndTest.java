package io.tally.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tally.app.config.TallyConfiguration;
import io.tally.app.testing.TallyProcess;
import io.tally.collectors.core.CollectorOutcome;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.catalog.TargetInfo;
import io.tally.collectors.health.HealthFact;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Targets as a user runs them: a file_sd file edited while Tally runs, and planted secrets that
 * must not come out anywhere.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TargetsEndToEndTest {
    static final String SECRET = "SECRETXYZ";
    static final Path DIR;
    static final Path TARGETS;
    static final Path LOG;
    static final HttpServer UPSTREAM;
    static final String UPSTREAM_URL;
    static final DropwizardAppExtension<TallyConfiguration> APP;

    static {
        try {
            DIR = Files.createTempDirectory("tally-e2e");
            TARGETS = DIR.resolve("targets.yml");
            LOG = DIR.resolve("tally.log");
            UPSTREAM = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            UPSTREAM.createContext("/", exchange -> {
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            UPSTREAM.start();
            UPSTREAM_URL = "http://127.0.0.1:" + UPSTREAM.getAddress().getPort();
            writeTargets("- targets: [ \"127.0.0.1:%d\" ]\n  labels: { name: file-a, type: webhook }\n"
                    .formatted(UPSTREAM.getAddress().getPort()));
            Path config = DIR.resolve("config.yml");
            Files.writeString(config, """
                    server:
                      applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                      adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                      requestLog: { appenders: [] }
                    collection: { interval: 200ms, deadline: 100ms, maxAge: 0s }
                    discovery:
                      refresh: { interval: 1h, watchInterval: 100ms, backoff: 50ms }
                      sources:
                        - type: static
                          targets:
                            - name: slack-secret
                              type: slack
                              url: "%1$s/services/T000/B000/%2$s"
                            - name: token-secret
                              type: webhook
                              url: "http://127.0.0.1:%3$d/hook?token=%2$s"
                        - type: file
                          files: [ "%4$s" ]
                    health: { interval: 200ms, timeout: 150ms, unhealthyAfter: 2 }
                    trends: { dataDir: "%6$s" }
                    logging:
                      level: INFO
                      loggers: { io.tally: DEBUG }
                      appenders:
                        - type: file
                          currentLogFilename: "%5$s"
                          archive: false
                    """.formatted(UPSTREAM_URL, SECRET, TallyProcess.freePort(), TARGETS, LOG, DIR.resolve("trends")));
            APP = new DropwizardAppExtension<>(TallyApplication.class, config.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.stop(0);
    }

    private static void writeTargets(String yaml) throws IOException {
        // Write then move, as a config-management tool would: the watcher never sees half a file.
        Path tmp = DIR.resolve("targets.yml.tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, DIR.resolve("targets.yml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private String metrics() throws Exception {
        return get(APP.getLocalPort(), "/metrics");
    }

    private HttpResponse<String> openMetrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0").build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode stats(String path) throws Exception {
        return APP.getObjectMapper().readTree(get(APP.getLocalPort(), path));
    }

    /** Target names on the first page of /stats. */
    private java.util.List<String> statsTargets() throws Exception {
        java.util.List<String> names = new java.util.ArrayList<>();
        stats("/stats?limit=1000").at("/items").forEach(item -> names.add(item.get("name").asText()));
        return names;
    }

    private String awaitMetrics(Predicate<String> condition, String what) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String body = "";
        while (System.nanoTime() < until) {
            body = metrics();
            if (condition.test(body)) {
                return body;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    @Test
    @Order(1)
    void fileSdTargetsFollowTheFileWhileRunning() throws Exception {
        awaitMetrics(m -> m.contains("tally_target_up{target=\"file-a\",type=\"webhook\"} 1"), "file-a probed");

        int port = UPSTREAM.getAddress().getPort();
        writeTargets("""
                - targets: [ "127.0.0.1:%1$d" ]
                  labels: { name: file-a, type: webhook }
                - targets: [ "127.0.0.1:%1$d" ]
                  labels: { name: file-b, type: alertmanager }
                """.formatted(port));
        awaitMetrics(m -> m.contains("tally_target_up{target=\"file-b\",type=\"alertmanager\"} 1"), "file-b probed");
        assertThat(statsTargets()).contains("file-a", "file-b");
        JsonNode fileB = stats("/stats/file-b");
        assertThat(fileB.at("/target/type").asText()).isEqualTo("alertmanager");
        assertThat(fileB.at("/target/source").asText()).isEqualTo("file");
        assertThat(fileB.at("/health/status").asText()).isNotEqualTo("unknown");

        writeTargets("- targets: [ \"127.0.0.1:%d\" ]\n  labels: { name: file-b, type: alertmanager }\n".formatted(port));
        String withoutA = awaitMetrics(m -> !m.contains("target=\"file-a\""), "file-a gone");
        assertThat(withoutA).contains("tally_target_up{target=\"file-b\",type=\"alertmanager\"} 1");
        assertThat(statsTargets()).contains("file-b").doesNotContain("file-a");
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort()
                + "/stats/file-a")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

        writeTargets("- { name: [ this is not yaml\n");
        String failed = awaitMetrics(m -> m.contains("tally_refresh_status{status=\"failed\"} 1"), "refresh failed");
        assertThat(failed).contains("tally_target_up{target=\"file-b\",type=\"alertmanager\"}")
                .containsPattern("tally_discovery_errors_total\\{source=\"file\",kind=\"parse\"} [1-9]")
                .containsPattern("tally_refresh_consecutive_failures [1-9]");
        // A broken file keeps the last good targets in /stats as well.
        assertThat(statsTargets()).contains("file-b").doesNotContain("file-a");

        String task = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort()
                        + "/tasks/refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(task).contains("\"status\" : \"failed\"").contains("file: parse:").contains("line 1");

        writeTargets("- targets: [ \"127.0.0.1:%d\" ]\n  labels: { name: file-b, type: alertmanager }\n".formatted(port));
        awaitMetrics(m -> m.contains("tally_refresh_status{status=\"success\"} 1"), "refresh recovered");
    }

    @Test
    @Order(2)
    void plantedSecretsNeverComeOut() throws Exception {
        // token-secret points at a closed port, so its error message passes through the redaction too.
        awaitMetrics(m -> m.contains("tally_target_health_status{target=\"token-secret\",type=\"webhook\",status=\"unhealthy\"} 1")
                && m.contains("tally_target_up{target=\"slack-secret\",type=\"slack\"} 1"), "secret targets probed");

        assertThat(metrics()).doesNotContain(SECRET);
        // OpenMetrics is chosen by the Accept header (a query parameter is ignored): check it is that form.
        HttpResponse<String> openMetrics = openMetrics();
        assertThat(openMetrics.headers().firstValue("Content-Type").orElseThrow())
                .startsWith("application/openmetrics-text; version=1.0.0");
        assertThat(openMetrics.body()).endsWith("# EOF\n")
                .contains("# TYPE tally_target_checks counter").containsPattern("(?m)^tally_target_checks_total\\{target=\"slack-secret\"")
                .contains("target=\"slack-secret\"").contains("target=\"token-secret\"")
                .doesNotContain(SECRET);
        assertThat(metrics()).doesNotContain("# EOF");
        for (String path : new String[] {"/stats", "/stats?q=secret", "/stats/slack-secret", "/stats/token-secret",
                "/health", "/metrics/json", "/trends?target=token-secret", "/trends?target=slack-secret&metric=queue_depth"}) {
            assertThat(get(APP.getLocalPort(), path)).as(path).doesNotContain(SECRET);
        }
        JsonNode slack = stats("/stats/slack-secret");
        assertThat(slack.at("/target/url").asText()).contains("/services/***");
        JsonNode token = stats("/stats/token-secret");
        assertThat(token.at("/target/url").asText()).contains("token=***");
        assertThat(token.at("/health/status").asText()).isEqualTo("unhealthy");
        assertThat(token.at("/health/last_error_class").asText()).isIn("connect", "timeout");
        assertThat(token.at("/health/last_error").asText()).isNotBlank();
        assertThat(statsTargets()).contains("slack-secret", "token-secret");
        assertThat(get(APP.getAdminPort(), "/metrics")).doesNotContain(SECRET);
        assertThat(get(APP.getAdminPort(), "/healthcheck")).doesNotContain(SECRET);

        CollectorRegistry registry = ((TallyApplication) APP.getApplication()).injector().getInstance(CollectorRegistry.class);
        Snapshot snapshot = registry.latestWithin(Duration.ZERO);
        HealthFact broken = snapshot.targets().facts("token-secret", HealthFact.class).get(0);
        // A refused connection; on a loaded machine the 150 ms probe timeout can fire before the refusal.
        assertThat(broken.lastErrorClass()).isIn("connect", "timeout");
        assertThat(broken.lastError()).isNotBlank().doesNotContain(SECRET);
        assertThat(snapshot.targets().facts("slack-secret", TargetInfo.class).get(0).target().toString())
                .doesNotContain(SECRET).contains("/services/***");
        for (CollectorOutcome outcome : snapshot.outcomes()) {
            assertThat(String.valueOf(outcome.error())).doesNotContain(SECRET);
        }
        String json = APP.getObjectMapper().writeValueAsString(snapshot.targets().facts("token-secret"));
        assertThat(json).doesNotContain(SECRET).contains("token=***");

        assertThat(Files.readString(LOG)).contains("Discovered").doesNotContain(SECRET);
    }
}
