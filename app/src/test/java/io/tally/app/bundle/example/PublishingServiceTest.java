package io.tally.app.bundle.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tally.app.testing.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example host application with Tally embedded (docs/embedding.md): it publishes to a real
 * loopback webhook that fails every third call and to one that always fails, and /stats/{target}
 * on the host's own port shows what its workers told the recorder.
 */
class PublishingServiceTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theWorkersFiguresShowUpInTallysStats(@TempDir Path dir) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger downCalls = new AtomicInteger();
        HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/flaky", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int status = 200;
            if (exchange.getRequestMethod().equals("POST")) {
                // Every third delivery fails with 503, the others succeed.
                status = calls.incrementAndGet() % 3 == 0 ? 503 : 200;
                if (status == 200) {
                    delivered.incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        webhook.createContext("/down", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("POST")) {
                downCalls.incrementAndGet();
            }
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        webhook.start();
        String hooks = "http://127.0.0.1:" + webhook.getAddress().getPort();
        Path config = dir.resolve("service.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  requestLog: { appenders: [] }
                logging: { level: WARN }
                webhooks: { hook-flaky: "%1$s/flaky", hook-down: "%1$s/down" }
                workers: 4
                maxAttempts: 3
                breakerThreshold: 3
                breakerCooldown: 1h
                tally:
                  collection: { interval: 300ms, deadline: 200ms, maxAge: 100ms }
                  discovery:
                    sources:
                      - type: static
                        targets:
                          - { name: hook-flaky, type: webhook, url: "%1$s/flaky" }
                          - { name: hook-down, type: webhook, url: "%1$s/down" }
                  health: { interval: 1s, timeout: 500ms }
                  trends: { dataDir: "%2$s", flushInterval: 1h }
                """.formatted(hooks, dir.resolve("trends")));
        DropwizardAppExtension<PublishingServiceConfiguration> app = new DropwizardAppExtension<>(
                PublishingService.class, config.toString());
        app.before();
        try {
            int port = app.getLocalPort();
            int jobs = 30;
            for (int i = 0; i < jobs; i++) {
                assertThat(post(port, "/publish/hook-flaky?priority=" + (i % 2 == 0 ? "high" : "normal"))).isEqualTo(202);
            }
            for (int i = 0; i < 6; i++) {
                assertThat(post(port, "/publish/hook-down")).isEqualTo(202);
            }
            assertThat(post(port, "/publish/no-such-hook")).isEqualTo(503);

            // Every job ends delivered or dead-lettered; retried is a step on the way.
            JsonNode flaky = await(port, "hook-flaky", w -> w.at("/jobs/by_outcome/success").asInt()
                    + w.at("/jobs/by_outcome/dead_lettered").asInt() == jobs);
            assertThat(flaky.at("/sources/0").asText()).isEqualTo("workers");
            assertThat(flaky.at("/jobs/by_outcome/success").asInt()).isEqualTo(delivered.get());
            // Each failed call was either retried or, on its last attempt, dead-lettered.
            assertThat(flaky.at("/retries/by_error_type/http_5xx").asInt()
                    + flaky.at("/dlq/writes_by_error_type/http_5xx").asInt()).isEqualTo(calls.get() - delivered.get());
            assertThat(flaky.at("/retries/by_error_type/http_5xx").asInt()).isPositive();
            assertThat(flaky.at("/jobs/by_outcome/retried").asInt()).isEqualTo(flaky.at("/retries/total").asInt());
            assertThat(flaky.at("/jobs/duration_p95_seconds").asDouble()).isPositive();
            assertThat(flaky.at("/jobs/in_flight").asInt()).isZero();

            JsonNode down = await(port, "hook-down", w -> w.at("/jobs/by_outcome/dead_lettered").asInt() == 6);
            assertThat(down.at("/breaker/state").asText()).isEqualTo("open");
            assertThat(down.at("/breaker/trips").asInt()).isEqualTo(1);
            // Three failed calls open the breaker (calls already under way when it opened still land);
            // after that, jobs are dead-lettered without a call.
            assertThat(downCalls.get()).isBetween(3, 3 + 4 - 1);
            assertThat(down.at("/dlq/writes_by_error_type/breaker_open").asInt()).isPositive();
            assertThat(down.at("/dlq/writes").asInt()).isEqualTo(6);

            assertThat(post(port, "/dlq/replay")).isEqualTo(200);
            JsonNode replayed = await(port, "hook-down", w -> w.at("/dlq/replays").asInt() >= 6);
            assertThat(replayed.at("/dlq/replays_by_result/failed").asInt()).isEqualTo(6);

            JsonNode stats = JSON.readTree(get(port, "/stats").body());
            assertThat(stats.at("/workers/open_breakers").toString()).contains("hook-down");
            assertThat(stats.at("/workers/submissions/high/accepted").asInt()).isEqualTo(15);
            assertThat(stats.at("/workers/submissions/normal/rejected").asInt()).isEqualTo(1);
            JsonNode health = JSON.readTree(get(port, "/health").body());
            assertThat(health.at("/reasons").toString()).contains("circuit breakers open: hook-down");

            String metrics = get(port, "/metrics").body();
            assertThat(metrics).contains("tally_circuit_breaker_trips_total{source=\"workers\",target=\"hook-down\"} 1");
            Promtool.Result check = Promtool.checkMetrics(metrics);
            assertThat(check.exitCode()).as(check.output()).isZero();
        } finally {
            app.after();
            webhook.stop(0);
        }
    }

    private static int post(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode await(int port, String target, java.util.function.Predicate<JsonNode> done)
            throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode workers = null;
        while (System.nanoTime() < until) {
            HttpResponse<String> response = get(port, "/stats/" + target);
            if (response.statusCode() == 200) {
                workers = JSON.readTree(response.body()).at("/workers");
                if (done.test(workers)) {
                    return workers;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the workers of " + target + " did not get there: " + workers);
    }
}
