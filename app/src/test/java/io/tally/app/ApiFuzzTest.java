package io.tally.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tally.app.config.TallyConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of random paths, parameters and headers against every endpoint, sent as raw HTTP so
 * that nothing is cleaned up on the way: no 5xx, and every API error in the JSON error shape.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ApiFuzzTest {
    /** A healthy webhook on loopback, so that /stats/{target}, /trends?target= and /health answer 200. */
    static final HttpServer UPSTREAM;
    static final DropwizardAppExtension<TallyConfiguration> APP;

    static {
        try {
            UPSTREAM = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            UPSTREAM.createContext("/", exchange -> {
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            UPSTREAM.start();
            Path dir = Files.createTempDirectory("tally-api-fuzz");
            Path config = dir.resolve("config.yml");
            Files.writeString(config, """
                    server:
                      applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                      adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                      requestLog: { appenders: [] }
                    collection: { interval: 1s, deadline: 200ms, maxAge: 500ms }
                    discovery:
                      sources:
                        - type: static
                          targets:
                            - { name: fuzz-target, type: webhook, url: "http://127.0.0.1:%d/hook" }
                    collectors:
                      - { type: test-counting, name: counting }
                    health: { interval: 1s, timeout: 500ms }
                    trends: { dataDir: "%s" }
                    logging: { level: WARN }
                    """.formatted(UPSTREAM.getAddress().getPort(), dir.resolve("trends")));
            APP = new DropwizardAppExtension<>(TallyApplication.class, config.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopUpstream() {
        UPSTREAM.stop(0);
    }

    /** Waits until the target has been probed healthy, so that every endpoint has its 200 path. */
    @BeforeAll
    static void awaitHealthyTarget() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Response health = send("GET", "/health", "");
            if (health.status == 200 && send("GET", "/stats/fuzz-target", "").body.contains("\"healthy\"")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("fuzz-target was not probed healthy within 30 s");
    }

    private static final List<String> PATHS = List.of("/stats", "/stats/", "/stats/fuzz-target", "/stats/%s", "/health",
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

    /** Every endpoint, the conditional ones with a real target too. */
    private static final List<String> ENDPOINTS = List.of("/metrics", "/metrics/json", "/stats", "/stats?limit=1",
            "/stats/fuzz-target", "/stats/nope", "/health", "/trends", "/trends?metric=success_ratio&target=fuzz-target");

    /**
     * Malformed and hostile values of the headers a server parses: conditionals (entity tags and
     * dates), negotiation, content framing, ranges, credentials, and sizes around Jetty's header limit.
     */
    private static final Map<String, List<String>> HOSTILE = hostileHeaders();

    private static Map<String, List<String>> hostileHeaders() {
        List<String> entityTags = List.of("garbage", "\"unterminated", "unopened\"", "W/", "W/garbage", "w/\"x\"",
                "\"a\" \"b\"", "\"a\",,,\"b\"", ",", ",,,", "*, \"a\"", "**", "\"a\"; q=1", "\"\u00e9\"", "W/\"\"",
                "\"\"", "\"" + "x".repeat(4_000) + "\"", "\"a\", " + "\"b\", ".repeat(500) + "garbage", "\t", "\"\\\"\"");
        List<String> dates = List.of("garbage", "0", "-1", "99999999999999999999", "Mon, 32 Foo 2024 99:99:99 GMT",
                "Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                "Sun Nov  6 08:49:37 1994", "2024-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT",
                "Fri, 31 Dec 9999 23:59:59 GMT", "Sun, 06 Nov 1994 08:49:37 XYZ", "\u00e9");
        List<String> mediaRanges = List.of("", ";", ",", "garbage", "*/*;q=abc", "*/*;q=-1", "*/*;q=2",
                "application/json;q=0", "text/html", "a/b/c", "/", "*/json", "application/*;q=0.5, */*;q=0",
                "application/openmetrics-text; version=9.9.9", "application/openmetrics-text; version=",
                "text/plain; version=abc; charset=nonexistent", "application/json; charset=\"unterminated",
                "application/json;;;;", "=", "application/json; =x", "*/*; q=1; q=0",
                "text/plain, ".repeat(600) + "x/y");
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("If-None-Match", entityTags);
        h.put("If-Match", entityTags);
        h.put("If-Range", entityTags);
        h.put("If-Modified-Since", dates);
        h.put("If-Unmodified-Since", dates);
        h.put("Accept", mediaRanges);
        h.put("Content-Type", mediaRanges);
        h.put("Accept-Encoding", List.of("gzip;q=abc", "*;q=0", "identity;q=0", "identity;q=0, *;q=0", "br", "zstd",
                "gzip, gzip, gzip", "gzip;q=2", ";", ",", "\u00e9", "deflate;q=1e999"));
        h.put("Accept-Charset", List.of("utf-16", "nonexistent", "*;q=0", "utf-8;q=abc"));
        h.put("Accept-Language", List.of("*;q=abc", "xx-\u00e9", ";;"));
        h.put("Content-Length", List.of("-1", "abc", "99999999999999999999", "1, 2", "", "0x10", "+5", " 0 ", "0, 0"));
        h.put("Transfer-Encoding", List.of("bogus", "gzip", "identity", "chunked, identity"));
        h.put("Content-Encoding", List.of("gzip", "bogus"));
        h.put("Range", List.of("bytes=abc", "bytes=0-0", "bytes=5-1", "bytes=999999999999999999999-", "bytes=-0",
                "lines=1-2", "bytes=" + "0-1,".repeat(1_000) + "2-3", "bytes"));
        h.put("Authorization", List.of("Basic !!!", "Basic", "Bearer", "Bearer " + "x".repeat(7_000), "\u00ff\u00fe",
                "Digest username=\"unterminated", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        "user:\u0000pass".getBytes(StandardCharsets.UTF_8))));
        h.put("Cookie", List.of("=", ";;;", "a=\"unterminated", "a=" + "b".repeat(7_000)));
        h.put("Expect", List.of("bogus", "100-continue"));
        h.put("Cache-Control", List.of("max-age=abc", "no-cache=\"unterminated", "max-age=99999999999999999999"));
        h.put("Forwarded", List.of("for=\"unterminated", "for=[::1", ";;;"));
        h.put("X-Forwarded-For", List.of("garbage", "999.999.999.999", ",,,"));
        h.put("X-Forwarded-Proto", List.of("ftp", ""));
        h.put("Origin", List.of("null", "http://[::1", "\u00e9"));
        h.put("Connection", List.of("bogus, keep-alive, Upgrade", "Upgrade"));
        h.put("Upgrade", List.of("h2c", "websocket", "bogus/1.0"));
        h.put("Host", List.of("", "[::1", "a:b:c", "localhost:99999999999", "\u00e9"));
        // Around and beyond Jetty's request header limit (8 KiB by default).
        h.put("X-Long", List.of("y".repeat(7_000), "y".repeat(9_000), "y".repeat(64_000)));
        return h;
    }

    /** Each hostile header value against every endpoint, alone, as GET and HEAD. */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void hostileHeadersNeverGetA5xxAndErrorsAreJson() throws Exception {
        List<String> problems = new java.util.ArrayList<>();
        int requests = 0;
        for (String endpoint : ENDPOINTS) {
            for (Map.Entry<String, List<String>> header : HOSTILE.entrySet()) {
                for (String value : header.getValue()) {
                    for (String method : List.of("GET", "HEAD")) {
                        String line = header.getKey() + ": " + value + "\r\n";
                        // Host is replaced, not added, so that a hostile Host is the only one.
                        Response response = header.getKey().equals("Host")
                                ? sendRaw(method, endpoint, line)
                                : send(method, endpoint, line);
                        requests++;
                        String problem = problem(method, endpoint, header.getKey(), value, response);
                        if (problem != null) {
                            problems.add(problem);
                        }
                    }
                }
            }
        }
        // Many at once, in random combinations, against random endpoints.
        Random random = new Random(13);
        List<String> names = List.copyOf(HOSTILE.keySet());
        for (int i = 0; i < 500; i++) {
            StringBuilder headers = new StringBuilder();
            StringBuilder described = new StringBuilder();
            for (int k = 1 + random.nextInt(5); k > 0; k--) {
                String name = names.get(random.nextInt(names.size()));
                if (name.equals("Host")) {
                    continue;
                }
                List<String> values = HOSTILE.get(name);
                String value = values.get(random.nextInt(values.size()));
                headers.append(name).append(": ").append(value).append("\r\n");
                described.append(name).append(": ").append(abbreviate(value)).append("; ");
            }
            String endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
            Response response = send("GET", endpoint, headers.toString());
            String problem = problem("GET", endpoint, described.toString(), "", response);
            if (problem != null) {
                problems.add(problem);
            }
            requests++;
        }
        System.out.println("header fuzz: " + requests + " requests, " + problems.size() + " problems");
        assertThat(problems).as("responses that were a 5xx or an error not in the JSON shape").isEmpty();
    }

    /**
     * A malformed If-None-Match or If-Match is ignored (RFC 9110 has malformed date conditions ignored;
     * Tally does the same for entity tags): a full 200. Well-formed ones still work: 304 for the
     * current tag (strong or weak), 412 in the JSON error shape for an If-Match naming another.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void malformedConditionalsAreIgnoredAndWellFormedOnesStillWork() throws Exception {
        for (String endpoint : List.of("/stats", "/stats/fuzz-target")) {
            for (String header : List.of("If-None-Match", "If-Match")) {
                for (String bad : List.of("garbage", "W/garbage", "\"a\" \"b\"", "*, \"a\"", "\"unterminated")) {
                    Response response = send("GET", endpoint, header + ": " + bad + "\r\n");
                    assertThat(response.status).as(header + ": " + bad).isEqualTo(200);
                    assertThat(json.readTree(response.body).isObject()).isTrue();
                    assertThat(response.header("ETag")).isNotBlank();
                }
            }
            Response failed = send("GET", endpoint, "If-Match: \"not-the-tag\"\r\n");
            assertThat(failed.status).isEqualTo(412);
            assertThat(json.readTree(failed.body).at("/error/code").asInt()).isEqualTo(412);
            assertThat(send("GET", endpoint, "If-Match: *\r\n").status).isEqualTo(200);
            assertThat(send("GET", endpoint, "If-None-Match: *\r\n").status).isEqualTo(304);

            // The snapshot moves on every second: a 200 is allowed only when the tag changed meanwhile.
            boolean strong = false;
            boolean weak = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(strong && weak) && System.nanoTime() < deadline) {
                String tag = send("GET", endpoint, "").header("ETag");
                String sent = strong ? "W/" + tag : "\"other\", ,  " + tag;
                Response conditional = send("GET", endpoint, "If-None-Match: " + sent + "\r\n");
                if (conditional.status == 304) {
                    assertThat(conditional.header("ETag")).isEqualTo(tag);
                    assertThat(conditional.body).isEmpty();
                    weak |= strong;
                    strong = true;
                } else {
                    assertThat(conditional.status).isEqualTo(200);
                    assertThat(conditional.header("ETag")).isNotEqualTo(tag);
                }
                // A valid If-Match naming the current tag passes.
                Response matched = send("GET", endpoint, "If-Match: " + tag + "\r\n");
                assertThat(matched.status).isIn(200, 412);
            }
            assertThat(strong && weak).as("304 for the current tag, strong and weak, on " + endpoint).isTrue();
        }
    }

    /** What is wrong with the response, or null: a 5xx, or an error that is not the JSON error shape. */
    private String problem(String method, String endpoint, String header, String value, Response response) {
        String what = method + " " + endpoint + " with " + header + ": " + abbreviate(value) + " -> " + response.status;
        if (response.status >= 500 || response.status < 200) {
            return what;
        }
        if (response.status >= 400 && !method.equals("HEAD")) {
            try {
                JsonNode body = json.readTree(response.body);
                if (body == null || body.at("/error/code").asInt() != response.status
                        || body.at("/error/message").asText().isBlank()
                        || body.at("/error/message").asText().contains("Exception")) {
                    return what + " body " + abbreviate(response.body);
                }
            } catch (IOException e) {
                return what + " body not JSON: " + abbreviate(response.body);
            }
        }
        return null;
    }

    private static String abbreviate(String value) {
        return value.length() > 60 ? value.substring(0, 60) + "...(" + value.length() + " chars)" : value;
    }

    private static String segment(Random random) {
        String[] choices = {"counting", "fuzz-target", "nope", "a.b:c-d", "%2F", "%zz", "x".repeat(300), "%E2%9C%93", "..", "."};
        return choices[random.nextInt(choices.length)];
    }

    private record Response(int status, String head, String body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    /** Raw HTTP/1.1 with Connection: close, so any byte sequence the server answers is seen as it is. */
    private static Response send(String method, String target, String headers) throws IOException {
        return sendRaw(method, target, "Host: localhost\r\n" + headers);
    }

    /** As {@link #send}, with no Host header but the caller's. */
    private static Response sendRaw(String method, String target, String headers) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), APP.getLocalPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write((method + " " + target.replace(" ", "%20") + " HTTP/1.1\r\n" + headers
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (java.net.SocketException e) {
                // The server may answer (431, 400) and close before reading all of an oversized request.
            }
            InputStream in = socket.getInputStream();
            String raw;
            try {
                raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.net.SocketException e) {
                throw new AssertionError(method + " " + target + ": connection reset without a response", e);
            }
            assertThat(raw).as(method + " " + target + " answered").startsWith("HTTP/1.1 ");
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
            return new Response(status, head, body);
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
