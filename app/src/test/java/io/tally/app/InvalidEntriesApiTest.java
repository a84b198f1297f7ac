package io.tally.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tally.app.config.TallyConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Entries discovery refused, as a user sees them through the running app: listed with their
 * reasons in {@code /stats}, explained by {@code /stats/{name}}, counted in {@code /metrics}.
 * From a real target file with probe settings the prober could never send.
 */
@Timeout(90)
class InvalidEntriesApiTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusedEntriesAreListedExplainedAndCounted(@TempDir Path dir) throws Exception {
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", e -> {
            e.sendResponseHeaders(200, -1);
            e.close();
        });
        upstream.start();
        String url = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/";
        Path targets = dir.resolve("targets.yml");
        Files.writeString(targets, """
                - { name: fine, url: "%1$s", probe: { timeout: 1s } }
                - { name: zero, url: "%1$s", probe: { timeout: 0s } }
                - { name: hosted, url: "%1$s", probe: { headers: { Host: SECRETHOST.example } } }
                - { name: shared, url: "%1$s" }
                """.formatted(url));
        Path config = dir.resolve("tally.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                  requestLog: { appenders: [] }
                collection: { interval: 200ms, deadline: 100ms, maxAge: 0s }
                discovery:
                  refresh: { interval: 1h }
                  sources:
                    - type: static
                      targets: [ { name: shared, type: webhook, url: "%1$s" } ]
                    - type: file
                      files: [ "%2$s" ]
                health: { interval: 200ms, timeout: 150ms }
                trends: { dataDir: "%3$s", flushInterval: 1h }
                logging: { level: WARN }
                """.formatted(url, targets, dir.resolve("trends")));
        DropwizardAppExtension<TallyConfiguration> app = new DropwizardAppExtension<>(TallyApplication.class,
                config.toString());
        app.before();
        try {
            int port = app.getLocalPort();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            JsonNode stats = json.readTree(get(port, "/stats").body());
            while (stats.at("/targets/by_status/healthy").asInt() != 2 && System.nanoTime() < until) {
                Thread.sleep(50);
                stats = json.readTree(get(port, "/stats").body());
            }
            assertThat(stats.at("/targets/by_status/healthy").asInt()).as(stats.toString()).isEqualTo(2);
            assertThat(stats.at("/targets/total").asInt()).isEqualTo(2);
            assertThat(stats.at("/items").findValuesAsText("name")).containsExactly("fine", "shared");

            JsonNode invalid = stats.at("/targets/invalid_entries");
            assertThat(invalid.at("/count").asInt()).isEqualTo(3);
            assertThat(invalid.at("/by_kind/invalid_probe").asInt()).isEqualTo(2);
            assertThat(invalid.at("/by_kind/duplicate").asInt()).isEqualTo(1);
            assertThat(invalid.at("/items").findValuesAsText("entry")).containsExactly("hosted", "shared", "zero");
            assertThat(invalid.at("/items/2").toString()).isEqualTo("{\"source\":\"file\",\"entry\":\"zero\","
                    + "\"kind\":\"invalid_probe\",\"reason\":\"probe.timeout must be between 10ms and 5m, not 0s\"}");

            // A refused entry is no target: 404, and the message says why.
            HttpResponse<String> zero = get(port, "/stats/zero");
            assertThat(zero.statusCode()).isEqualTo(404);
            assertThat(json.readTree(zero.body()).at("/error/message").asText()).isEqualTo("no target named 'zero':"
                    + " discovery refused the entry from source 'file' (invalid_probe: probe.timeout must be between"
                    + " 10ms and 5m, not 0s)");
            assertThat(json.readTree(get(port, "/stats/hosted").body()).at("/error/message").asText())
                    .contains("'Host' cannot be set");
            assertThat(get(port, "/stats/no-such-thing").statusCode()).isEqualTo(404);

            // A target that exists shows the refusals of its name too (here a duplicate from another source).
            HttpResponse<String> shared = get(port, "/stats/shared");
            assertThat(shared.statusCode()).isEqualTo(200);
            JsonNode sharedBody = json.readTree(shared.body());
            assertThat(sharedBody.at("/target/source").asText()).isEqualTo("static");
            assertThat(sharedBody.at("/invalid_entries/0/kind").asText()).isEqualTo("duplicate");
            assertThat(sharedBody.at("/invalid_entries/0/source").asText()).isEqualTo("file");
            assertThat(json.readTree(get(port, "/stats/fine").body()).at("/invalid_entries").size()).isZero();

            String metrics = get(port, "/metrics").body();
            assertThat(metrics).contains("tally_discovery_invalid_targets{source=\"file\",reason=\"invalid_probe\"} 2")
                    .contains("tally_discovery_invalid_targets{source=\"file\",reason=\"duplicate\"} 1");
            assertThat(stats.toString() + zero.body() + shared.body() + metrics).doesNotContain("SECRETHOST");
        } finally {
            app.after();
            upstream.stop(0);
        }
    }
}
