package io.tally.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

import java.io.IOException;
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
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Tally in its own JVM with something real behind every figure, for the tests of the dashboard,
 * the alert rules and the OpenAPI document:
 * <ul>
 *   <li>loopback targets: {@value #TARGET} (probes alternate 200 and 500: degraded, flapping),
 *       {@code steady} (always 200), {@code down} (a closed port: unhealthy), {@code paused}
 *       (disabled), and one entry discovery refuses (a bad name);</li>
 *   <li>a real Alertmanager delivering to loopback webhooks, two notifications a second accepted and
 *       one refused, scraped by Tally's {@code alertmanager} publisher (integration {@code webhook}
 *       mapped to {@value #TARGET});</li>
 *   <li>two lists on the local Redis feeding {@value #TARGET}: a work queue of 5 with capacity 6
 *       (stalled, 83% full) and a dead-letter queue of 2;</li>
 *   <li>a RabbitMQ source on a closed port: the collector {@code rabbit-missing} is unavailable;</li>
 *   <li>auth on: {@link #READ_TOKEN} has the read role, {@link #SCRAPE_TOKEN} only metrics.</li>
 * </ul>
 */
public final class LiveStack implements AutoCloseable {
    public static final String TARGET = "am-webhooks";
    public static final String READ_TOKEN = "read-" + UUID.randomUUID();
    public static final String SCRAPE_TOKEN = "scrape-" + UUID.randomUUID();
    /** Has the ingest role only: posts worker events. */
    public static final String INGEST_TOKEN = "ingest-" + UUID.randomUUID();
    /** Worker events for {@link #TARGET}: every worker figure /stats/{target} shows. */
    public static final String WORKER_EVENTS = """
            {"event":"submitted","priority":"high","result":"accepted"}
            {"event":"started","target":"%1$s"}
            {"event":"started","target":"%1$s"}
            {"event":"finished","target":"%1$s","outcome":"success","duration_seconds":0.08,"wait_seconds":0.01}
            {"event":"finished","target":"%1$s","outcome":"failed","duration_seconds":0.4,"wait_seconds":0.02}
            {"event":"retry","target":"%1$s","error_type":"http_5xx"}
            {"event":"breaker","target":"%1$s","state":"open"}
            {"event":"dlq_write","target":"%1$s","error_type":"http_4xx"}
            {"event":"dlq_replay","target":"%1$s","result":"success"}
            {"event":"workers","active":1,"idle":3}
            """.formatted(TARGET);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final HttpServer hooks;
    private final AlertmanagerProcess alertmanager;
    private final RedisClient redis;
    private final StatefulRedisConnection<String, String> redisConnection;
    private final String keyPrefix = "tally:opsdocs:" + UUID.randomUUID();
    private final AtomicBoolean posting = new AtomicBoolean(true);
    private final Thread poster;
    private final Process tally;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LiveStack(Path dir) throws Exception {
        this.dir = dir;
        hooks = webhooks();
        String hooksUrl = "http://127.0.0.1:" + hooks.getAddress().getPort();
        alertmanager = new AlertmanagerProcess(dir, """
                route:
                  receiver: ok
                  group_by: [ alertname ]
                  group_wait: 0s
                  group_interval: 1h
                  repeat_interval: 1h
                  routes:
                    - matchers: [ 'dest="fail"' ]
                      receiver: fail
                receivers:
                  - name: ok
                    webhook_configs: [ { url: "%1$s/deliver", send_resolved: false } ]
                  - name: fail
                    webhook_configs: [ { url: "%1$s/refuse", send_resolved: false } ]
                """.formatted(hooksUrl));
        redis = RedisClient.create("redis://127.0.0.1:6379");
        redisConnection = redis.connect();
        redisConnection.sync().rpush(workQueue(), "n1", "n2", "n3", "n4", "n5");
        redisConnection.sync().rpush(deadLetterQueue(), "d1", "d2");
        poster = Thread.ofVirtual().name("alert-poster").start(this::postAlerts);

        port = TallyProcess.freePort();
        Path config = dir.resolve("tally.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: %1$d } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  requestLog: { appenders: [] }
                collection: { interval: 1s, deadline: 250ms, maxAge: 500ms }
                auth:
                  tokens:
                    - { name: reader, sha256: "%2$s", roles: [ read ] }
                    - { name: prometheus, sha256: "%3$s", roles: [ metrics ] }
                    - { name: shipper, sha256: "%11$s", roles: [ ingest ] }
                workers: { enabled: true }
                discovery:
                  sources:
                    - type: static
                      targets:
                        - { name: %4$s, type: webhook, url: "%5$s/flaky", labels: { team: sre } }
                        - { name: steady, type: slack, url: "%5$s/ok", labels: { team: web } }
                        - { name: down, type: webhook, url: "http://127.0.0.1:%6$d/", labels: { team: sre } }
                        - { name: paused, type: pagerduty, url: "%5$s/ok", enabled: false }
                        - { name: "not a valid name!", type: webhook, url: "%5$s/ok" }
                health: { interval: 300ms, timeout: 250ms, unhealthyAfter: 3 }
                queues:
                  - type: redis
                    name: redis
                    uri: "redis://127.0.0.1:6379"
                    pollInterval: 200ms
                    window: 3
                    queues:
                      - { name: "%7$s", target: %4$s, priority: high, capacity: 6 }
                      - { name: "%8$s", target: %4$s, role: dlq }
                  - type: rabbitmq
                    name: rabbit-missing
                    uri: "amqp://guest:guest@127.0.0.1:%6$d/"
                    timeout: 500ms
                    queues: [ { name: publish.high } ]
                publishers:
                  - type: prometheus
                    name: alertmanager
                    url: "%9$s"
                    preset: alertmanager
                    interval: 500ms
                    targetMap: { webhook: %4$s }
                trends: { dataDir: "%10$s", flushInterval: 1s }
                logging: { level: WARN }
                """.formatted(port, sha256(READ_TOKEN), sha256(SCRAPE_TOKEN), TARGET, hooksUrl, TallyProcess.freePort(),
                workQueue(), deadLetterQueue(), alertmanager.url("/metrics"), dir.resolve("trends"),
                sha256(INGEST_TOKEN)));
        tally = TallyProcess.start(List.of(), dir.resolve("tally-out.txt"), dir.resolve("tally-err.txt"), "server",
                config.toString());
    }

    /** Starts everything and waits until every kind of figure has arrived (at most 120 s). */
    public static LiveStack start(Path dir) throws Exception {
        LiveStack stack = new LiveStack(dir);
        try {
            stack.awaitFigures();
            return stack;
        } catch (Exception | AssertionError e) {
            stack.close();
            throw e;
        }
    }

    private void awaitFigures() throws Exception {
        waitFor("Tally to take the worker events", () -> post("/ingest/v1/events", INGEST_TOKEN, WORKER_EVENTS)
                .statusCode() == 200);
        waitFor("Tally to report deliveries, an unhealthy target, a stalled queue and saved trend history", () -> {
            JsonNode target = json(get("/stats/" + TARGET, READ_TOKEN));
            JsonNode down = json(get("/stats/down", READ_TOKEN));
            JsonNode trends = json(get("/trends", READ_TOKEN));
            return target.path("publishing").path("attempts").asDouble() >= 3
                    && target.path("publishing").path("failures").asDouble() >= 1
                    && target.path("health").path("checks").asInt() >= 3
                    && target.path("queues").findValuesAsText("verdict").contains("stalled")
                    && down.path("health").path("status").asText().equals("unhealthy")
                    && target.path("workers").path("breaker").path("state").asText().equals("open")
                    && trends.path("persistence").path("status").asText().equals("ok");
        });
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, as Prometheus labels the instance. */
    public String instance() {
        return "127.0.0.1:" + port;
    }

    public String workQueue() {
        return keyPrefix + ":work";
    }

    public String deadLetterQueue() {
        return keyPrefix + ":dlq";
    }

    /** Adds messages to a queue on the real Redis. */
    public void push(String queue, int messages) {
        for (int i = 0; i < messages; i++) {
            redisConnection.sync().rpush(queue, "m" + i);
        }
    }

    public HttpResponse<String> get(String path, String token, String... headers) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs an NDJSON body. */
    public HttpResponse<String> post(String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /** Polls {@code condition} every 250 ms until it holds; fails with the logs after 120 s. */
    public void waitFor(String what, Condition condition) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Exception last = null;
        while (System.nanoTime() < until) {
            if (!tally.isAlive()) {
                throw new IllegalStateException("tally exited: " + Files.readString(dir.resolve("tally-err.txt")));
            }
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("timed out waiting for " + what + (last == null ? "" : " (last error: " + last + ")")
                + "\ntally stderr:\n" + Files.readString(dir.resolve("tally-err.txt")), last);
    }

    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Two accepted and one refused notification a second, so publishing rates stay live. */
    private void postAlerts() {
        int round = 0;
        while (posting.get()) {
            round++;
            try {
                alertmanager.postAlerts("""
                        [ {"labels": {"alertname": "ok-a-%1$d", "dest": "ok"}},
                          {"labels": {"alertname": "ok-b-%1$d", "dest": "ok"}},
                          {"labels": {"alertname": "fail-%1$d", "dest": "fail"}} ]
                        """.formatted(round));
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // Alertmanager stopping at the end of a test; the tests see any earlier trouble.
                if (!posting.get()) {
                    return;
                }
            }
        }
    }

    private static HttpServer webhooks() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        AtomicInteger flaky = new AtomicInteger();
        server.createContext("/ok", exchange -> respond(exchange, 200));
        server.createContext("/deliver", exchange -> respond(exchange, 200));
        // 4xx: Alertmanager does not retry, so each refused notification is one failure.
        server.createContext("/refuse", exchange -> respond(exchange, 400));
        server.createContext("/flaky", exchange -> respond(exchange, flaky.incrementAndGet() % 2 == 0 ? 500 : 200));
        server.start();
        return server;
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private static String sha256(String token) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() throws Exception {
        posting.set(false);
        poster.interrupt();
        poster.join(TimeUnit.SECONDS.toMillis(10));
        tally.destroy();
        if (!tally.waitFor(20, TimeUnit.SECONDS)) {
            tally.destroyForcibly();
        }
        alertmanager.close();
        hooks.stop(0);
        try {
            redisConnection.sync().del(workQueue(), deadLetterQueue());
        } finally {
            redisConnection.close();
            redis.shutdown();
        }
    }
}
