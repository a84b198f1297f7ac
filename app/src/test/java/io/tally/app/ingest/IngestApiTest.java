package io.tally.app.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tally.app.TallyApplication;
import io.tally.app.config.TallyConfiguration;
import io.tally.app.testing.Promtool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /ingest/v1/events through the running app, with auth on: events land in /stats and /metrics. */
class IngestApiTest {
    private static final String INGEST_TOKEN = "ingest-token-0123456789abcdef";
    private static final String READ_TOKEN = "read-token-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DropwizardAppExtension<TallyConfiguration> app;
    private static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("tally-ingest");
        Path config = dir.resolve("tally.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  requestLog: { appenders: [] }
                collection: { interval: 300ms, deadline: 200ms, maxAge: 100ms }
                discovery:
                  sources:
                    - type: static
                      targets:
                        - { name: hook-a, type: webhook, url: "http://127.0.0.1:9/never" , enabled: false }
                        - { name: limit-0, type: webhook, url: "http://127.0.0.1:9/never" , enabled: false }
                        - { name: limit-1, type: webhook, url: "http://127.0.0.1:9/never" , enabled: false }
                        - { name: limit-2, type: webhook, url: "http://127.0.0.1:9/never" , enabled: false }
                        - { name: limit-3, type: webhook, url: "http://127.0.0.1:9/never" , enabled: false }
                        - { name: limit-4, type: webhook, url: "http://127.0.0.1:9/never" , enabled: false }
                workers: { enabled: true, maxTargets: 3 }
                ingest: { maxBodySize: 4KiB }
                auth:
                  tokens:
                    - { name: shipper, sha256: "%s", roles: [ ingest ] }
                    - { name: people, sha256: "%s", roles: [ read, metrics ] }
                trends: { dataDir: "%s", flushInterval: 1h }
                logging: { level: WARN }
                """.formatted(sha(INGEST_TOKEN), sha(READ_TOKEN), dir.resolve("trends")));
        app = new DropwizardAppExtension<>(TallyApplication.class, config.toString());
        app.before();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.after();
        }
    }

    private static String sha(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> post(String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getLocalPort()
                        + "/ingest/v1/events")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getLocalPort() + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + READ_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void goodLinesAreTakenBadOnesRefusedWithTheirReasonAndTheFiguresShowPerTarget() throws Exception {
        String body = """
                {"event":"submitted","priority":"high","result":"accepted"}
                {"event":"started","target":"hook-a"}
                {"event":"finished","target":"hook-a","outcome":"success","duration_seconds":0.12,"wait_seconds":0.03}
                {"event":"finished","target":"hook-a","outcome":"exploded","duration_seconds":0.1}
                not json at all
                {"event":"retry","target":"hook-a","error_type":"timeout"}
                {"event":"retry","target":"hook-a","error_type":"timeout","extra":1}

                {"event":"breaker","target":"hook-a","state":"open"}
                {"event":"dlq_write","target":"hook-a","error_type":"http_4xx"}
                {"event":"dlq_replay","target":"hook-a","result":"success"}
                {"event":"workers","active":2,"idle":6}
                {"event":"retry","target":"bad name","error_type":"timeout"}
                """;
        HttpResponse<String> response = post(body, INGEST_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.at("/lines").asInt()).isEqualTo(12);
        assertThat(answer.at("/accepted").asInt()).isEqualTo(8);
        assertThat(answer.at("/refused_count").asInt()).isEqualTo(4);
        assertThat(answer.at("/refused/0/line").asInt()).isEqualTo(4);
        assertThat(answer.at("/refused/0/reason").asText()).contains("outcome 'exploded'");
        assertThat(answer.at("/refused/1/reason").asText()).isEqualTo("not valid JSON");
        assertThat(answer.at("/refused/2/reason").asText()).contains("unknown field 'extra'");
        assertThat(answer.at("/refused/3/line").asInt()).isEqualTo(13);
        assertThat(answer.at("/refused/3/reason").asText()).contains("not a valid target name");

        JsonNode workers = awaitWorkers("hook-a");
        assertThat(workers.at("/sources/0").asText()).isEqualTo("workers");
        assertThat(workers.at("/jobs/total").asDouble()).isEqualTo(1);
        assertThat(workers.at("/jobs/by_outcome/success").asDouble()).isEqualTo(1);
        assertThat(workers.at("/jobs/in_flight").asDouble()).isZero();
        assertThat(workers.at("/retries/by_error_type/timeout").asDouble()).isEqualTo(1);
        assertThat(workers.at("/breaker/state").asText()).isEqualTo("open");
        assertThat(workers.at("/breaker/trips").asDouble()).isEqualTo(1);
        assertThat(workers.at("/dlq/writes").asDouble()).isEqualTo(1);
        assertThat(workers.at("/dlq/replays_by_result/success").asDouble()).isEqualTo(1);

        JsonNode stats = JSON.readTree(get("/stats").body());
        assertThat(stats.at("/workers/open_breakers/0").asText()).isEqualTo("hook-a");
        assertThat(stats.at("/workers/pool/active").asDouble()).isEqualTo(2);
        assertThat(stats.at("/workers/submissions/high/accepted").asDouble()).isEqualTo(1);

        // The trend store keeps the worker series: DLQ writes, breaker open time and the retry rate.
        JsonNode dlq = awaitTrend("/trends?metric=dlq_writes&window=5m&target=hook-a");
        assertThat(dlq.at("/points/0/1").asDouble()).isGreaterThanOrEqualTo(1);
        JsonNode open = awaitTrend("/trends?metric=breaker_open_seconds&window=5m&target=hook-a");
        assertThat(open.at("/points/0/1").asDouble()).isGreaterThanOrEqualTo(0);
        JsonNode retries = awaitTrend("/trends?metric=retry_rate&window=5m");
        assertThat(retries.at("/points/0/1").asDouble()).isGreaterThanOrEqualTo(0);

        String metrics = get("/metrics").body();
        assertThat(metrics).contains(
                "tally_jobs_processed_total{source=\"workers\",target=\"hook-a\",outcome=\"success\"} 1",
                "tally_circuit_breaker_state{source=\"workers\",target=\"hook-a\",state=\"open\"} 1",
                "tally_dlq_writes_total{source=\"workers\",target=\"hook-a\",error_type=\"http_4xx\"} 1",
                "tally_worker_events_dropped_total{source=\"workers\",reason=\"ingest_refused\"}");
        Promtool.Result check = Promtool.checkMetrics(metrics);
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void aBodyThatIsNotWhatItSaysIsA400AndALineWithMoreThanOneObjectIsRefused() throws Exception {
        HttpResponse<String> notGzip = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + app.getLocalPort() + "/ingest/v1/events")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-ndjson").header("Content-Encoding", "gzip")
                .header("Authorization", "Bearer " + INGEST_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"event\":\"workers\",\"active\":1,\"idle\":1}\n"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(notGzip.statusCode()).as(notGzip.body()).isEqualTo(400);
        assertThat(JSON.readTree(notGzip.body()).at("/error/message").asText()).contains("gzip");

        HttpResponse<String> response = post("""
                {"event":"workers","active":1,"idle":1} garbage
                {"event":"workers","active":1,"active":5,"idle":1}
                """, INGEST_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.at("/accepted").asInt()).isZero();
        assertThat(answer.at("/refused/0/reason").asText()).isEqualTo("not valid JSON");
        assertThat(answer.at("/refused/1/reason").asText()).isEqualTo("not valid JSON");
    }

    @Test
    void onlyTheIngestRoleMayPostAndTheBodyIsBounded() throws Exception {
        String line = "{\"event\":\"retry\",\"target\":\"hook-b\",\"error_type\":\"timeout\"}\n";
        assertThat(post(line, null).statusCode()).isEqualTo(401);
        assertThat(post(line, READ_TOKEN).statusCode()).isEqualTo(403);
        HttpResponse<String> tooLarge = post(line.repeat(100), INGEST_TOKEN);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(tooLarge.body()).at("/error/message").asText()).contains("ingest.maxBodySize");
        HttpResponse<String> empty = post("\n\n", INGEST_TOKEN);
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(empty.body()).at("/error/code").asInt()).isEqualTo(400);
    }

    @Test
    void targetsPastTheLimitAreRefusedByNameWhileKnownOnesStillCount() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            body.append("{\"event\":\"dlq_write\",\"target\":\"limit-").append(i).append("\",\"error_type\":\"x\"}\n");
        }
        body.append("{\"event\":\"dlq_write\",\"target\":\"hook-a\",\"error_type\":\"x\"}\n");
        JsonNode answer = JSON.readTree(post(body.toString(), INGEST_TOKEN).body());
        // maxTargets 3: hook-a may already hold one place; whatever is refused says why.
        assertThat(answer.at("/refused_count").asInt()).isPositive();
        for (JsonNode refusal : answer.at("/refused")) {
            assertThat(refusal.at("/reason").asText()).contains("workers.maxTargets");
        }
        assertThat(answer.at("/accepted").asInt() + answer.at("/refused_count").asInt()).isEqualTo(6);
    }

    @Test
    void namesDiscoveryDidNotFindAreRefusedAndTakeNoPlace() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            body.append("{\"event\":\"retry\",\"target\":\"run-").append(i).append("\",\"error_type\":\"x\"}\n");
        }
        body.append("{\"event\":\"retry\",\"target\":\"hook-a\",\"error_type\":\"undiscovered-check\"}\n");
        JsonNode answer = JSON.readTree(post(body.toString(), INGEST_TOKEN).body());
        assertThat(answer.at("/refused_count").asInt()).isEqualTo(20);
        assertThat(answer.at("/accepted").asInt()).isEqualTo(1);
        assertThat(answer.at("/refused/0/reason").asText())
                .isEqualTo("target 'run-0' is not a discovered target: events are taken for the targets discovery"
                        + " found (GET /stats lists them)");
        // Twenty strangers later, a discovered target still has its place, and the refusals are counted.
        awaitMetrics("tally_retry_attempts_total{source=\"workers\",target=\"hook-a\",error_type=\"undiscovered-check\"} 1");
        assertThat(get("/metrics").body()).doesNotContain("target=\"run-");
    }

    private static void awaitMetrics(String line) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!get("/metrics").body().contains(line)) {
            if (System.nanoTime() > until) {
                throw new AssertionError("/metrics never showed " + line);
            }
            Thread.sleep(100);
        }
    }

    private static JsonNode awaitTrend(String path) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode trend = null;
        while (System.nanoTime() < until) {
            trend = JSON.readTree(get(path).body());
            if (trend.at("/points").size() > 0) {
                return trend;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no points from " + path + ": " + trend);
    }

    private static JsonNode awaitWorkers(String target) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode workers = null;
        while (System.nanoTime() < until) {
            HttpResponse<String> response = get("/stats/" + target);
            if (response.statusCode() == 200) {
                workers = JSON.readTree(response.body()).at("/workers");
                if (workers.at("/dlq/replays").asDouble() > 0 && workers.at("/jobs/total").asDouble() > 0) {
                    return workers;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no worker figures for " + target + ": " + workers);
    }

    @Test
    void withTheRecorderOffTheEndpointSaysHowToTurnItOn() throws Exception {
        Path offDir = Files.createTempDirectory("tally-ingest-off");
        Path config = offDir.resolve("tally.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  requestLog: { appenders: [] }
                trends: { dataDir: "%s", flushInterval: 1h }
                logging: { level: WARN }
                """.formatted(offDir.resolve("trends")));
        DropwizardAppExtension<TallyConfiguration> off = new DropwizardAppExtension<>(TallyApplication.class,
                config.toString());
        off.before();
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + off.getLocalPort() + "/ingest/v1/events")).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"event\":\"workers\",\"active\":1,\"idle\":1}\n"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(response.body()).at("/error/message").asText()).contains("workers.enabled: true");
            JsonNode stats = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + off.getLocalPort() + "/stats")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(stats.at("/collectors").findValuesAsText("name")).doesNotContain("workers");
            assertThat(stats.at("/workers/reason").asText()).contains("no worker figures");
        } finally {
            off.after();
        }
    }
}
