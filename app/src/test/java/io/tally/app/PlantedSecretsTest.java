package io.tally.app;

import com.sun.net.httpserver.HttpServer;
import io.tally.app.testing.TallyProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test over every output Tally has: secrets are planted in target URLs (path, query,
 * user-info), probe headers, broker URIs and a publisher's URL and authorization, and made to fail
 * where failing puts text in error messages; then every response of both ports, in every format,
 * error bodies included, and the whole log are searched for any of them.
 */
@Timeout(180)
class PlantedSecretsTest {
    private static final String MARK = "PLNT";
    private static final String PATH_SECRET = MARK + "pathsecret8x7";
    private static final String QUERY_SECRET = MARK + "querysecret";
    private static final String USER_PASSWORD = MARK + "userpassword";
    private static final String KEY_AS_USER = MARK + "keyasuser";
    private static final String HEADER_SECRET = MARK + "headersecret";
    private static final String BROKER_PASSWORD = MARK + "brokerpassword";
    private static final String REDIS_PASSWORD = MARK + "redispassword";
    private static final String PUBLISHER_TOKEN = MARK + "publishertoken";
    private static final String PUBLISHER_QUERY = MARK + "publisherquery";
    private static final String READ_TOKEN = "read-token-0123456789abcdef0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void noPlantedSecretAppearsInAnyOutput(@TempDir Path dir) throws Exception {
        HttpServer peer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Targets answer 500 so that their failures carry text; the publisher answers garbage.
        peer.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("error for " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        peer.createContext("/metrics", exchange -> {
            byte[] body = ("garbage { " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        peer.start();
        int peerPort = peer.getAddress().getPort();
        int port = TallyProcess.freePort();
        int adminPort = TallyProcess.freePort();
        String readHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(READ_TOKEN.getBytes(StandardCharsets.UTF_8)));
        Path targets = Files.createDirectories(dir.resolve("targets.d"));
        Files.writeString(targets.resolve("planted.yml"), """
                - { name: from-file, type: webhook, url: "http://127.0.0.1:%d/hooks/%s?token=%s" }
                """.formatted(peerPort, PATH_SECRET, QUERY_SECRET));
        Path config = dir.resolve("tally.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: %1$d } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: %2$d } ]
                collection: { interval: 500ms, deadline: 250ms, maxAge: 250ms }
                discovery:
                  sources:
                    - type: static
                      targets:
                        - { name: path-token, type: slack, url: "http://127.0.0.1:%3$d/services/T0/B0/%4$s" }
                        - { name: query-token, type: webhook, url: "http://127.0.0.1:%3$d/hook?api-key=%5$s" }
                        - { name: user-info, type: webhook, url: "http://alice:%6$s@127.0.0.1:%3$d/hook" }
                        - { name: key-as-user, type: webhook, url: "http://%7$s:@127.0.0.1:%3$d/hook" }
                        - { name: refused, type: webhook, url: "http://127.0.0.1:1/hooks/%4$s?token=%5$s" }
                        - { name: with-header, type: webhook, url: "http://127.0.0.1:%3$d/h",
                            probe: { headers: { X-Api-Key: "%8$s" } } }
                    - type: file
                      files: [ "%9$s/*.yml" ]
                health: { interval: 500ms, timeout: 400ms }
                queues:
                  - type: rabbitmq
                    name: rabbit
                    uri: "amqp://guest:%10$s@127.0.0.1:5672/"
                    pollInterval: 500ms
                    queues: [ { name: planted.queue, target: "*" } ]
                  - type: redis
                    name: redis
                    uri: "redis://:%11$s@127.0.0.1:6379/0"
                    pollInterval: 500ms
                    queues: [ { name: "planted:queue", target: "*" } ]
                publishers:
                  - type: prometheus
                    name: notifier
                    url: "http://127.0.0.1:%3$d/metrics?token=%12$s"
                    preset: alertmanager
                    authorization: "Bearer %13$s"
                    interval: 500ms
                auth:
                  publicPaths: [ /health ]
                  tokens: [ { name: reader, sha256: "%14$s", roles: [ read, metrics, admin ] } ]
                trends: { dataDir: "%15$s", flushInterval: 1s }
                logging: { level: INFO }
                """.formatted(port, adminPort, peerPort, PATH_SECRET, QUERY_SECRET, USER_PASSWORD, KEY_AS_USER,
                HEADER_SECRET, targets, BROKER_PASSWORD, REDIS_PASSWORD, PUBLISHER_QUERY, PUBLISHER_TOKEN, readHash,
                dir.resolve("trends")));
        Process tally = TallyProcess.start(List.of(), dir.resolve("out.txt"), dir.resolve("err.txt"), "server",
                config.toString());
        try {
            awaitEverythingFailedOnce(port, tally, dir);
            Map<String, String> outputs = new LinkedHashMap<>();
            String[] paths = {"/metrics", "/metrics/json", "/stats", "/stats?limit=1000&sort=status",
                "/stats/path-token", "/stats/query-token", "/stats/user-info", "/stats/key-as-user", "/stats/refused",
                "/stats/with-header", "/stats/from-file", "/stats/no-such-target", "/health", "/trends",
                "/trends?target=path-token", "/trends?window=bad", "/stats?limit=0", "/no/such/path", "/stats/a%20b"};
            for (String path : paths) {
                outputs.put(path, get(port, path, "application/json", false));
            }
            // The page and everything it loads (its own data comes from the JSON API above).
            for (String path : List.of("/ui", "/ui/targets/path-token", "/ui/targets/user-info",
                    "/ui/assets/app.js", "/ui/assets/app.css", "/ui/assets/uplot.js", "/ui/assets/uplot.css",
                    "/ui/assets/no-such-asset")) {
                outputs.put(path, get(port, path, "*/*", false));
            }
            outputs.put("/metrics openmetrics", get(port, "/metrics", "application/openmetrics-text; version=1.0.0", false));
            outputs.put("/metrics gzip", get(port, "/metrics", "text/plain", true));
            outputs.put("/health anonymous", anonymous(port, "/health"));
            outputs.put("/stats anonymous", anonymous(port, "/stats"));
            outputs.put("/ui anonymous", anonymous(port, "/ui"));
            for (String path : List.of("/metrics", "/healthcheck", "/threads", "/tasks/gc", "/no/such")) {
                outputs.put("admin " + path, get(adminPort, path, "application/json", false));
            }
            outputs.put("log", Files.readString(dir.resolve("out.txt")) + Files.readString(dir.resolve("err.txt")));
            outputs.put("trend file", new String(readAll(dir.resolve("trends").resolve("trends.bin")),
                    StandardCharsets.ISO_8859_1));

            List<String> leaks = new ArrayList<>();
            for (Map.Entry<String, String> output : outputs.entrySet()) {
                Matcher m = Pattern.compile(MARK + "[a-z0-9]*").matcher(output.getValue());
                while (m.find()) {
                    int from = Math.max(0, m.start() - 80);
                    leaks.add(output.getKey() + ": ..." + output.getValue().substring(from,
                            Math.min(output.getValue().length(), m.end() + 20)).replace('\n', ' ') + "...");
                }
            }
            assertThat(leaks).as("planted secrets in outputs").isEmpty();
            // The test saw what it meant to: failures with text, in the outputs it searched.
            assertThat(outputs.get("/stats/refused")).contains("\"last_error\"");
            assertThat(outputs.get("/stats/path-token")).contains("/services/***");
            assertThat(outputs.get("/stats/query-token")).contains("api-key=***");
            assertThat(outputs.get("/stats/user-info")).contains("alice:***@");
            assertThat(outputs.get("/stats")).contains("\"name\":\"rabbit\"").contains("\"name\":\"notifier\"");
            assertThat(outputs.get("/metrics")).contains("tally_publisher_scrape_errors_total{publisher=\"notifier\"");
            assertThat(outputs.get("/ui")).contains("ui/assets/app.js");
            assertThat(outputs.get("/ui/assets/app.js")).contains("If-None-Match");
        } finally {
            tally.destroy();
            tally.waitFor();
            peer.stop(0);
        }
    }

    /**
     * Waits until the probes, RabbitMQ (wrong password) and the publisher have each failed at least
     * once; Redis without a password of its own accepts the planted one, so it is only read.
     */
    private static void awaitEverythingFailedOnce(int port, Process tally, Path dir) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String metrics = "";
        while (System.nanoTime() < until && tally.isAlive()) {
            metrics = get(port, "/metrics", "text/plain", false);
            if (metrics.contains("tally_target_check_failures_total{target=\"refused\"")
                    && metrics.contains("tally_target_check_failures_total{target=\"from-file\"")
                    && metrics.contains("tally_target_check_failures_total{target=\"with-header\"")
                    && metrics.contains("tally_queue_source_poll_errors_total{source=\"rabbit\"")
                    && metrics.contains("tally_collector_status{collector=\"redis\"")
                    && metrics.contains("tally_publisher_scrape_errors_total{publisher=\"notifier\"")) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not every planted part failed within 90 s (tally " + (tally.isAlive() ? "running"
                : "exited") + "); /metrics was:\n" + metrics + "\nlog:\n" + Files.readString(dir.resolve("err.txt"))
                + Files.readString(dir.resolve("out.txt")));
    }

    private static String get(int port, String path, String accept, boolean gzip) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + READ_TOKEN).header("Accept", accept)
                .timeout(Duration.ofSeconds(10));
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        HttpResponse<byte[]> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException notListening) {
            return "";
        }
        byte[] body = response.body();
        if (gzip && response.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            }
        }
        return response.headers().map() + "\n" + new String(body, StandardCharsets.UTF_8);
    }

    private static String anonymous(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        return response.headers().map() + "\n" + response.body();
    }

    private static byte[] readAll(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Files.readAllBytes(file));
        return out.toByteArray();
    }
}
