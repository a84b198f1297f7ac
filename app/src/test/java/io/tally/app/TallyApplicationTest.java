package io.tally.app;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tally.app.config.TallyConfiguration;
import io.tally.app.testing.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(DropwizardExtensionsSupport.class)
class TallyApplicationTest {
    static final DropwizardAppExtension<TallyConfiguration> APP = new DropwizardAppExtension<>(
            TallyApplication.class, ResourceHelpers.resourceFilePath("test-config.yml"),
            // The trend history goes to a temporary directory, not the default data/trends in the checkout.
            ConfigOverride.config("trends.dataDir", () -> temporaryDirectory().toString()));

    private static java.nio.file.Path temporaryDirectory() {
        try {
            return java.nio.file.Files.createTempDirectory("tally-application-test-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void metricsInPrometheusTextPassPromtool() throws Exception {
        HttpResponse<byte[]> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String body = text(response);
        assertThat(body)
                .contains("# TYPE test_counting_calls_total counter\n")
                .contains("test_counting_calls_total{collector=\"counting\",note=\"has \\\"quotes\\\"\"}")
                .contains("# TYPE tally_collection_duration_seconds histogram\n")
                .contains("tally_collector_status{collector=\"counting\",status=\"ok\"} 1\n")
                .contains("tally_collector_errors_total{collector=\"counting\"} 0\n")
                .contains("tally_snapshot_age_seconds ")
                .contains("process_start_time_seconds ")
                .contains("process_uptime_seconds ")
                .contains("jvm_memory_pool_bytes_used{pool=")
                .contains("jvm_threads_current ")
                .doesNotContain("# EOF");

        Promtool.Result promtool = Promtool.checkMetrics(body);
        assertThat(promtool.output()).isEmpty();
        assertThat(promtool.exitCode()).isZero();
    }

    @Test
    void metricsInOpenMetricsWhenAsked() throws Exception {
        HttpResponse<byte[]> response = get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
        String body = text(response);
        assertThat(body).endsWith("# EOF\n").containsOnlyOnce("# EOF")
                .contains("# TYPE test_counting_calls counter\n")
                .contains("# UNIT tally_collection_duration_seconds seconds\n")
                .contains("test_counting_calls_total{");
    }

    @Test
    void metricsAreGzippedWhenAsked() throws Exception {
        HttpResponse<byte[]> response = get("/metrics", "Accept-Encoding", "gzip");
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("tally_collections_total");
        }
    }

    @Test
    void requestMetricsUseRouteTemplatesNotRawPaths() throws Exception {
        assertThat(get("/no/such/path-with-an-id-123").statusCode()).isEqualTo(404);
        get("/metrics");
        String body = text(get("/metrics"));
        assertThat(body)
                .contains("http_server_requests_total{method=\"GET\",route=\"/metrics\",status=\"200\",status_class=\"2xx\"")
                .contains("http_server_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\",status_class=\"4xx\"")
                .contains("http_server_request_duration_seconds_bucket{method=\"GET\",route=\"/metrics\",status_class=\"2xx\",le=")
                .contains("http_server_response_size_bytes_count{method=\"GET\",route=\"/metrics\"")
                .contains("http_server_requests_in_flight ")
                .doesNotContain("path-with-an-id-123");
    }

    @Test
    void eachCollectorHasAnAdminHealthCheck() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"collector-counting\":{\"healthy\":true")
                .contains("\"collection\":{\"healthy\":true");
    }

    @Test
    void snapshotSeriesAreInTheDropwizardRegistry() {
        assertThat(APP.getEnvironment().metrics().getGauges())
                .containsKey("test_counting_calls_total{collector=\"counting\",note=\"has \\\"quotes\\\"\"}");
    }
}
