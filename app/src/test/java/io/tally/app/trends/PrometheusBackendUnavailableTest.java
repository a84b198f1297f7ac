package io.tally.app.trends;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tally.app.TallyApplication;
import io.tally.app.config.TallyConfiguration;
import io.tally.app.testing.TallyProcess;
import io.tally.collectors.core.http.Deadline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * trends.backend: prometheus with a store that never answers (a socket that accepts and stays
 * silent): /trends and the trend block of /stats/{target} still answer 200, within the deadline,
 * with no points, no direction and the reason; the bearer token appears in no answer and no log line.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class PrometheusBackendUnavailableTest {
    private static final String TOKEN = "TRENDTOKEN-8c1f0e7d";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ServerSocket SILENT;
    private static final HttpServer TARGET;
    private static final Path LOG;
    private static final DropwizardAppExtension<TallyConfiguration> APP;

    static {
        try {
            // Never accepted: the kernel completes the handshake into the backlog and nothing is ever written.
            SILENT = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            TARGET = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TARGET.createContext("/", exchange -> {
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            TARGET.start();
            Path dir = Files.createTempDirectory("tally-trend-backend");
            LOG = dir.resolve("tally.log");
            Path config = dir.resolve("config.yml");
            Files.writeString(config, """
                    server:
                      applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                      adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                    collection: { interval: 200ms, deadline: 100ms, maxAge: 0s }
                    discovery:
                      sources:
                        - type: static
                          targets: [ { name: hook, type: webhook, url: "http://127.0.0.1:%d/hook" } ]
                    health: { interval: 300ms, timeout: 250ms }
                    trends:
                      dataDir: "%s"
                      backend: prometheus
                      prometheus:
                        url: "http://127.0.0.1:%d/"
                        bearerToken: "%s"
                        timeout: 700ms
                    logging:
                      level: DEBUG
                      appenders: [ { type: file, currentLogFilename: "%s", archive: false } ]
                    """.formatted(TARGET.getAddress().getPort(), dir.resolve("trends"), SILENT.getLocalPort(), TOKEN,
                    LOG));
            APP = new DropwizardAppExtension<>(TallyApplication.class, config.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stop() throws IOException {
        TARGET.stop(0);
        SILENT.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aSilentStoreGivesNoDirectionAndTheReasonNeverA5xx() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> trend = get("/trends?metric=queue_depth&window=1h");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(trend.statusCode()).as(trend.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(trend.body());
        assertThat(body.path("backend").asText()).isEqualTo("prometheus");
        assertThat(body.path("direction").isNull()).isTrue();
        assertThat(body.path("points")).isEmpty();
        assertThat(body.path("reason").asText()).contains("trend store http://127.0.0.1:" + SILENT.getLocalPort())
                .contains("timeout");
        assertThat(body.path("queue").path("growth_per_minute").isNull()).isTrue();
        // Generous: the deadline is 0.7 s; a loaded machine may add to it, but not tens of seconds.
        assertThat(seconds).isLessThan(15);

        long until = System.nanoTime() + 20_000_000_000L;
        HttpResponse<String> detail = get("/stats/hook");
        while (detail.statusCode() != 200 && System.nanoTime() < until) {
            Thread.sleep(100);
            detail = get("/stats/hook");
        }
        assertThat(detail.statusCode()).isEqualTo(200);
        JsonNode success = JSON.readTree(detail.body()).path("trend").path("success_ratio");
        assertThat(success.path("direction").isNull()).isTrue();
        assertThat(success.path("reason").asText()).contains("unavailable");

        assertThat(trend.body() + detail.body()).doesNotContain(TOKEN);
        assertThat(Files.readString(LOG)).doesNotContain(TOKEN);
    }

    /** Nothing listening: a connect failure, quickly, naming the store by its redacted URL. */
    @Test
    void aClosedPortIsAConnectFailure() throws Exception {
        int port = TallyProcess.freePort();
        PrometheusBackendConfiguration config = JSON.readValue(
                "{\"url\": \"http://user:" + TOKEN + "@127.0.0.1:" + port + "\", \"bearerToken\": \"" + TOKEN + "\"}",
                PrometheusBackendConfiguration.class);
        PrometheusRange range = new PrometheusRange(config);
        assertThatThrownBy(() -> range.query("up", 0, 60_000, 15_000, Deadline.after(Duration.ofSeconds(5))))
                .isInstanceOf(PrometheusRange.Unavailable.class)
                .hasMessageContaining("(connect)")
                .hasMessageNotContaining(TOKEN);
        assertThat(JSON.writeValueAsString(config)).doesNotContain(TOKEN);
    }

    /** A store (or a proxy before it) that echoes the request's Authorization header into its error. */
    @Test
    void anErrorThatEchoesTheTokenDoesNotShowIt() throws Exception {
        HttpServer echo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        echo.createContext("/", exchange -> {
            byte[] body = ("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"refused "
                    + exchange.getRequestHeaders().getFirst("Authorization") + " for this tenant\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        echo.start();
        try {
            PrometheusBackendConfiguration config = JSON.readValue("{\"url\": \"http://127.0.0.1:"
                    + echo.getAddress().getPort() + "\", \"bearerToken\": \"" + TOKEN + "\"}",
                    PrometheusBackendConfiguration.class);
            PrometheusRange range = new PrometheusRange(config);
            assertThatThrownBy(() -> range.query("up", 0, 60_000, 15_000, Deadline.after(Duration.ofSeconds(5))))
                    .isInstanceOf(PrometheusRange.Unavailable.class)
                    .hasMessageContaining("answered HTTP 400: refused Bearer *** for this tenant")
                    .hasMessageNotContaining(TOKEN);
        } finally {
            echo.stop(0);
        }
    }
}
