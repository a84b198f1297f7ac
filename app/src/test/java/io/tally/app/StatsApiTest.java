package io.tally.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tally.app.config.TallyConfiguration;
import io.tally.app.testing.TallyProcess;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON API through the running app, with real collectors, agreeing with /metrics. */
class StatsApiTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private static String config(Path dir, String upstream, int closedPort, String interval) {
        return """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  requestLog: { appenders: [] }
                collection: { interval: %4$s, deadline: 100ms, maxAge: 1h }
                discovery:
                  sources:
                    - type: static
                      targets:
                        - { name: ok-1, type: webhook, url: "%1$s/a", labels: { team: sre } }
                        - { name: ok-2, type: slack, url: "%1$s/b", labels: { team: web } }
                        - { name: down, type: webhook, url: "http://127.0.0.1:%2$d/", labels: { team: sre } }
                        - { name: paused, type: pagerduty, url: "%1$s/c", enabled: false }
                health: { interval: 200ms, timeout: 150ms, unhealthyAfter: 1 }
                queues:
                  - type: redis
                    name: redis
                    uri: "redis://127.0.0.1:6379"
                    pollInterval: 200ms
                    queues: [ { name: "tally:apitest:*", target: ok-1, capacity: 10 } ]
                trends: { dataDir: "%3$s", flushInterval: 1h }
                logging: { level: WARN }
                """.formatted(upstream, closedPort, dir.resolve("trends"), interval);
    }

    private JsonNode get(int port, String path) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private String text(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void statsAgreeWithMetricsForTheSameSnapshot(@TempDir Path dir) throws Exception {
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", e -> {
            e.sendResponseHeaders(200, -1);
            e.close();
        });
        upstream.start();
        io.lettuce.core.RedisClient redis = io.lettuce.core.RedisClient.create("redis://127.0.0.1:6379");
        try (var connection = redis.connect()) {
            connection.sync().del("tally:apitest:q");
            connection.sync().rpush("tally:apitest:q", "1", "2", "3", "4");
            Path config = dir.resolve("tally.yml");
            Files.writeString(config, config(dir, "http://127.0.0.1:" + upstream.getAddress().getPort(),
                    TallyProcess.freePort(), "300ms"));
            DropwizardAppExtension<TallyConfiguration> app = new DropwizardAppExtension<>(TallyApplication.class,
                    config.toString());
            app.before();
            try {
                int port = app.getLocalPort();
                // wait until all three enabled targets are probed and the queue is read
                long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                JsonNode stats = get(port, "/stats");
                while (System.nanoTime() < until && (stats.at("/targets/by_status/unknown").asInt() != 1
                        || stats.at("/queues/count").asInt() != 1 || stats.at("/targets/by_status/healthy").asInt() != 2)) {
                    Thread.sleep(100);
                    stats = get(port, "/stats");
                }
                // With maxAge 1h the two requests below are served from whatever snapshot is latest; read
                // /metrics first and /stats right after, then compare only if they name the same snapshot.
                String metrics;
                JsonNode same;
                do {
                    metrics = text(port, "/metrics");
                    same = get(port, "/stats?limit=10");
                } while (value(metrics, "tally_collections_total") != same.at("/snapshot/sequence").asDouble()
                        && System.nanoTime() < until);
                assertThat(same.at("/snapshot/sequence").asDouble()).isEqualTo(value(metrics, "tally_collections_total"));

                assertThat(same.at("/targets/total").asInt()).isEqualTo(4);
                assertThat(same.at("/targets/enabled").asInt()).isEqualTo(3);
                assertThat(same.at("/targets/by_status/healthy").asInt()).isEqualTo(
                        (int) count(metrics, "tally_target_health_status\\{[^}]*status=\"healthy\"} 1"));
                assertThat(same.at("/targets/by_status/unhealthy").asInt()).isEqualTo(
                        (int) count(metrics, "tally_target_health_status\\{[^}]*status=\"unhealthy\"} 1")).isEqualTo(1);
                assertThat(same.at("/targets/by_type/webhook").asInt()).isEqualTo(2);
                assertThat(same.at("/queues/depth").asDouble()).isEqualTo(value(metrics,
                        "tally_queue_depth{source=\"redis\",broker=\"redis\",queue=\"tally:apitest:q\",target=\"ok-1\",priority=\"\",role=\"queue\"}"))
                        .isEqualTo(4.0);
                assertThat(same.at("/queues/utilization").asDouble()).isEqualTo(0.4);
                assertThat(same.at("/publishing/attempts").isNull()).isTrue();
                assertThat(same.at("/publishing/reason").asText()).isNotBlank();
                JsonNode okItem = item(same, "ok-1");
                assertThat(okItem.at("/success_ratio").asDouble()).isEqualTo(
                        value(metrics, "tally_target_success_ratio{target=\"ok-1\",type=\"webhook\"}"));
                assertThat(okItem.at("/queue_depth").asInt()).isEqualTo(4);
                assertThat(item(same, "paused").at("/status").asText()).isEqualTo("unknown");
                assertThat(item(same, "paused").at("/success_ratio").isNull()).isTrue();

                // filters, sort, pagination
                JsonNode sre = get(port, "/stats?label=team:sre&sort=status");
                assertThat(sre.at("/items").findValuesAsText("name")).containsExactly("down", "ok-1");
                JsonNode page1 = get(port, "/stats?limit=2");
                JsonNode page2 = get(port, "/stats?limit=2&cursor=" + page1.at("/next_cursor").asText());
                assertThat(page1.at("/items").findValuesAsText("name")).containsExactly("down", "ok-1");
                assertThat(page2.at("/items").findValuesAsText("name")).containsExactly("ok-2", "paused");
                assertThat(page2.at("/next_cursor").isNull()).isTrue();
                assertThat(get(port, "/stats?q=ok&type=slack").at("/items").findValuesAsText("name")).containsExactly("ok-2");

                // per target
                JsonNode detail = get(port, "/stats/ok-1");
                assertThat(detail.at("/target/url").asText()).endsWith("/a");
                assertThat(detail.at("/health/status").asText()).isEqualTo("healthy");
                assertThat(detail.at("/queues/0/depth").asInt()).isEqualTo(4);
                assertThat(detail.at("/queues/0/capacity").asInt()).isEqualTo(10);
                assertThat(detail.at("/publishing/reason").asText()).contains("no publisher");
                assertThat(detail.at("/trend/window").asText()).isEqualTo("1h");
                assertThat(get(port, "/stats/down").at("/health/last_error_class").asText()).isEqualTo("connect");

                // caching
                // Snapshots change every 300 ms: ask again at once until the tag is still current, then
                // it must be a 304; a 200 must carry a new tag.
                boolean notModifiedSeen = false;
                for (int attempt = 0; attempt < 50 && !notModifiedSeen; attempt++) {
                    HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/stats")).build(), HttpResponse.BodyHandlers.ofString());
                    String etag = first.headers().firstValue("ETag").orElseThrow();
                    assertThat(first.headers().firstValue("Cache-Control").orElseThrow()).contains("max-age=");
                    HttpResponse<String> second = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/stats")).header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(second.statusCode()).isIn(200, 304);
                    if (second.statusCode() == 304) {
                        assertThat(second.headers().firstValue("ETag")).hasValue(etag);
                        assertThat(second.body()).isEmpty();
                        notModifiedSeen = true;
                    } else {
                        assertThat(second.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
                    }
                }
                assertThat(notModifiedSeen).as("a 304 for a still-current ETag").isTrue();

                // health
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/health")).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode report = json.readTree(health.body());
                assertThat(report.at("/components").findValuesAsText("name"))
                        .containsExactly("publishing", "targets", "latency", "queues", "freshness", "workers", "trend_history");
                assertThat(report.at("/reasons").toString()).contains("1 of 3 targets unhealthy: down");
                assertThat(health.statusCode()).isEqualTo(report.at("/status").asText().equals("unhealthy") ? 503 : 200);

                // trends have the snapshots collected so far (one every 300 ms)
                JsonNode trend = get(port, "/trends?metric=healthy_targets&window=5m");
                long trendUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (trend.at("/points").size() < 3 && System.nanoTime() < trendUntil) {
                    Thread.sleep(100);
                    trend = get(port, "/trends?metric=healthy_targets&window=5m");
                }
                assertThat(trend.at("/points").size()).isGreaterThanOrEqualTo(3);
                assertThat(trend.at("/direction").isNull()).isFalse();
                JsonNode queueTrend = get(port, "/trends?metric=queue_depth&target=ok-1&window=5m&step=1s");
                assertThat(queueTrend.at("/queue/capacity").asDouble()).isEqualTo(10.0);
                assertThat(get(port, "/trends?metric=nope").at("/error/code").asInt()).isEqualTo(400);
            } finally {
                app.after();
                connection.sync().del("tally:apitest:q");
            }
        } finally {
            redis.shutdown();
            upstream.stop(0);
        }
    }

    @Test
    void historySurvivesARestartAndACorruptFileDoesNotStopStartUp(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("tally.yml");
        Files.writeString(config, config(dir, "http://127.0.0.1:1", TallyProcess.freePort(), "200ms"));
        DropwizardAppExtension<TallyConfiguration> first = new DropwizardAppExtension<>(TallyApplication.class,
                config.toString());
        first.before();
        int before;
        try {
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            do {
                Thread.sleep(200);
                before = get(first.getLocalPort(), "/trends?metric=healthy_targets&window=5m").at("/points").size();
            } while (before < 3 && System.nanoTime() < until);
            assertThat(before).isGreaterThanOrEqualTo(3);
        } finally {
            first.after(); // a clean stop flushes
        }
        assertThat(dir.resolve("trends/trends.bin")).exists();

        DropwizardAppExtension<TallyConfiguration> second = new DropwizardAppExtension<>(TallyApplication.class,
                config.toString());
        second.before();
        try {
            int after = get(second.getLocalPort(), "/trends?metric=healthy_targets&window=5m").at("/points").size();
            assertThat(after).isGreaterThanOrEqualTo(before);
        } finally {
            second.after();
        }

        byte[] bytes = Files.readAllBytes(dir.resolve("trends/trends.bin"));
        bytes[bytes.length - 20] ^= 0x7f;
        Files.write(dir.resolve("trends/trends.bin"), bytes);
        DropwizardAppExtension<TallyConfiguration> third = new DropwizardAppExtension<>(TallyApplication.class,
                config.toString());
        third.before();
        try {
            assertThat(get(third.getLocalPort(), "/stats").at("/targets/total").asInt()).isEqualTo(4);
            try (var files = Files.list(dir.resolve("trends"))) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("trends.bin.corrupt-"));
            }
        } finally {
            third.after();
        }
    }

    private static JsonNode item(JsonNode stats, String name) {
        for (JsonNode item : stats.at("/items")) {
            if (item.at("/name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError(name + " not in " + stats.at("/items"));
    }

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static long count(String metrics, String regex) {
        return Pattern.compile("^" + regex + "$", Pattern.MULTILINE).matcher(metrics).results().count();
    }
}
