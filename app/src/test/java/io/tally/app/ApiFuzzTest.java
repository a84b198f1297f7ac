package io.tally.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tally.app.config.TallyConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of random paths, parameters and headers against every endpoint, sent as raw HTTP so
 * that nothing is cleaned up on the way: no 5xx, and every API error in the JSON error shape.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiFuzzTest {
    static final DropwizardAppExtension<TallyConfiguration> APP = new DropwizardAppExtension<>(
            TallyApplication.class, ResourceHelpers.resourceFilePath("test-config.yml"));

    private static final List<String> PATHS = List.of("/stats", "/stats/", "/stats/counting", "/stats/%s", "/health",
            "/trends", "/metrics", "/metrics/json", "/%s", "/stats/%s/%s", "/trends/%s");
    private static final List<String> PARAMS = List.of("limit", "cursor", "type", "status", "label", "q", "sort",
            "metric", "window", "target", "step", "format");
    private static final List<String> VALUES = List.of("", "0", "-1", "1", "1000", "1001", "99999999999999999999",
            "abc", "%", "%zz", "%00", "name", "status", "latency", "success_ratio", "healthy", "webhook", "5m", "24h",
            "1ms", "0s", "PT1H", "team:sre", ":", "a:", "b29mZnNldA", "o:-5", "\u00e9\u4e2d", "'\"<>", "null",
            "../../etc/passwd", "queue_depth", "healthy_targets");
    private static final List<String> HEADERS = List.of("Accept: application/json", "Accept: text/html",
            "Accept: application/openmetrics-text; version=1.0.0", "Accept: */*;q=abc", "If-None-Match: \"garbage\"",
            "If-None-Match: *", "Accept-Encoding: gzip", "Accept-Encoding: br, zstd", "Content-Type: text/plain",
            "X-Forwarded-For: 10.0.0.1", "Accept: ");
    private static final List<String> METHODS = List.of("GET", "GET", "GET", "GET", "HEAD", "POST", "PUT", "DELETE",
            "OPTIONS", "PATCH");

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void randomRequestsNeverGetA5xxAndErrorsAreJson() throws Exception {
        Random random = new Random(11);
        int[] byClass = new int[6];
        for (int i = 0; i < 2_000; i++) {
            String path = PATHS.get(random.nextInt(PATHS.size()));
            while (path.contains("%s")) {
                path = path.replaceFirst("%s", segment(random));
            }
            StringBuilder query = new StringBuilder();
            for (int p = random.nextInt(4); p > 0; p--) {
                query.append(query.isEmpty() ? "?" : "&").append(PARAMS.get(random.nextInt(PARAMS.size())))
                        .append('=').append(VALUES.get(random.nextInt(VALUES.size())));
            }
            String method = METHODS.get(random.nextInt(METHODS.size()));
            StringBuilder headers = new StringBuilder();
            for (int h = random.nextInt(3); h > 0; h--) {
                headers.append(HEADERS.get(random.nextInt(HEADERS.size()))).append("\r\n");
            }
            Response response = send(method, path + query, headers.toString());
            byClass[response.status / 100]++;
            assertThat(response.status).as(method + " " + path + query + " " + headers).isLessThan(500);
            if (response.status >= 400 && !method.equals("HEAD") && response.body.length() > 0) {
                JsonNode body = json.readTree(response.body);
                assertThat(body.at("/error/code").asInt()).as(method + " " + path + query).isEqualTo(response.status);
                assertThat(body.at("/error/message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
            }
        }
        assertThat(byClass[2]).isPositive();
        assertThat(byClass[4]).isPositive();
    }

    private static String segment(Random random) {
        String[] choices = {"counting", "nope", "a.b:c-d", "%2F", "%zz", "x".repeat(300), "%E2%9C%93", "..", "."};
        return choices[random.nextInt(choices.length)];
    }

    private record Response(int status, String body) {
    }

    /** Raw HTTP/1.1 with Connection: close, so any byte sequence the server answers is seen as it is. */
    private static Response send(String method, String target, String headers) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), APP.getLocalPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + target.replace(" ", "%20") + " HTTP/1.1\r\nHost: localhost\r\n" + headers
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(raw.substring(9, 12));
            int bodyStart = raw.indexOf("\r\n\r\n");
            String head = raw.substring(0, bodyStart);
            String body = raw.substring(bodyStart + 4);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            if (head.toLowerCase().contains("content-encoding: gzip")) {
                body = "";
            }
            return new Response(status, body);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", i);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(i, lineEnd).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
            i = lineEnd + 2 + size + 2;
        }
        return out.toString();
    }
}
