package io.tally.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import io.tally.app.testing.LiveStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tally.app.testing.LiveStack.READ_TOKEN;
import static io.tally.app.testing.LiveStack.SCRAPE_TOKEN;
import static io.tally.app.testing.LiveStack.TARGET;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /openapi.json against the real API, both ways, so that neither can drift: a live Tally with
 * real targets, queues on the local Redis and a real Alertmanager behind its publisher
 * ({@link LiveStack}) answers a set of requests that reach every branch of every documented body
 * (filters, pages, 304, 400, 401, 403, 404, 406, 412, every trend metric, an anomaly).
 * <ul>
 *   <li>Every response's status is documented for its path, and its body is valid against the
 *       documented schema: validated by networknt's json-schema-validator with the OpenAPI 3.1
 *       dialect and format assertions on. Every object schema is closed
 *       ({@code additionalProperties: false}) and lists its fields as required, so a field a
 *       response has and the document lacks fails, and so does a required field a response lacks.</li>
 *   <li>Every field the document describes appears in some real response (and every variant of a
 *       {@code oneOf}): a documented field the API no longer returns fails.</li>
 * </ul>
 */
@Timeout(300)
class OpenApiContractTest {
    private static final String BASE = "https://tally.test/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static LiveStack stack;
    private static String served;
    private static JsonNode document;
    private static SchemaRegistry schemas;
    private static final Map<String, Schema> compiled = new HashMap<>();
    private static final List<Exchange> exchanges = new ArrayList<>();

    /** A real request and response, and the path template the document files it under. */
    record Exchange(String method, String template, String request, HttpResponse<String> response) {
        Exchange(String template, String request, HttpResponse<String> response) {
            this("get", template, request, response);
        }

        @Override
        public String toString() {
            return method.toUpperCase(java.util.Locale.ROOT) + " " + request + " -> " + response.statusCode();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        stack = LiveStack.start(dir);
        HttpResponse<String> openapi = stack.get("/openapi.json", READ_TOKEN);
        assertThat(openapi.statusCode()).isEqualTo(200);
        served = openapi.body();
        document = JSON.readTree(served);
        schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), builder -> builder
                .schemas(Map.of(BASE, served))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        exercise();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /** Requests that reach every documented status and every branch of every documented body. */
    private static void exercise() throws Exception {
        String[][] plain = {
                {"/stats", "/stats"},
                {"/stats", "/stats?status=unhealthy&type=webhook&label=team:sre&q=DO&sort=latency"},
                {"/stats", "/stats?sort=success_ratio&limit=1000"},
                {"/stats", "/stats?sort=status"},
                {"/stats", "/stats?limit=0"},
                {"/stats", "/stats?sort=fastest"},
                {"/stats", "/stats?cursor=not-a-cursor"},
                {"/stats/{target}", "/stats/" + TARGET},
                {"/stats/{target}", "/stats/steady"},
                {"/stats/{target}", "/stats/down"},
                {"/stats/{target}", "/stats/paused"},
                {"/stats/{target}", "/stats/no-such-target"},
                {"/health", "/health"},
                {"/trends", "/trends"},
                {"/trends", "/trends?metric=healthy_targets&window=5m&step=10s"},
                {"/trends", "/trends?metric=queue_depth&window=1h"},
                {"/trends", "/trends?metric=latency_p95_seconds&window=15m&target=" + TARGET},
                {"/trends", "/trends?metric=error_ratio&window=24h&target=steady"},
                {"/trends", "/trends?metric=success_ratio&target=paused"},
                {"/trends", "/trends?metric=bogus"},
                {"/trends", "/trends?window=2h"},
                {"/trends", "/trends?step=0s"},
                {"/trends", "/trends?metric=healthy_targets&target=" + TARGET},
                {"/trends", "/trends?target=no-such-target"},
                {"/metrics/json", "/metrics/json"},
                {"/metrics", "/metrics"},
        };
        for (String[] e : plain) {
            record(e[0], e[1], READ_TOKEN);
        }
        Exchange page = record("/stats", "/stats?limit=1", READ_TOKEN);
        String cursor = LiveStack.json(page.response()).path("next_cursor").asText();
        assertThat(cursor).as("a first page of one has a next_cursor").isNotBlank();
        record("/stats", "/stats?limit=1&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8), READ_TOKEN);

        for (String[] e : new String[][] {{"/stats", "/stats"}, {"/stats/{target}", "/stats/steady"},
                {"/health", "/health"}, {"/trends", "/trends"}, {"/metrics/json", "/metrics/json"}}) {
            record(e[0], e[1], null);
        }
        for (String[] e : new String[][] {{"/stats", "/stats"}, {"/health", "/health"}, {"/trends", "/trends"}}) {
            record(e[0], e[1], SCRAPE_TOKEN);
        }
        record("/metrics/json", "/metrics/json", SCRAPE_TOKEN);
        record("/metrics", "/metrics", SCRAPE_TOKEN, "Accept", "application/openmetrics-text; version=1.0.0");
        record("/stats", "/stats", READ_TOKEN, "Accept", "text/html");
        record("/stats", "/stats", READ_TOKEN, "If-Match", "\"not-the-current-tag\"");
        notModified("/stats", "/stats?limit=2");
        notModified("/stats/{target}", "/stats/" + TARGET);

        // An anomaly: the target's queue depth, flat since start, jumps.
        String queueTrend = "/trends?metric=queue_depth&window=5m&target=" + TARGET;
        stack.waitFor("a flat queue-depth history", () -> LiveStack.json(stack.get(queueTrend, READ_TOKEN))
                .path("points").size() >= 10);
        stack.push(stack.workQueue(), 40);
        stack.waitFor("an anomaly in the queue depth", () -> !LiveStack.json(stack.get(queueTrend, READ_TOKEN))
                .path("anomalies").isEmpty());
        record("/trends", queueTrend, READ_TOKEN);

        // Worker events: one batch with a refused line, and the refusals of the endpoint itself.
        String ingest = "/ingest/v1/events";
        String batch = LiveStack.WORKER_EVENTS + "{\"event\":\"retry\",\"target\":\"" + TARGET + "\"}\n";
        exchanges.add(new Exchange("post", ingest, ingest, stack.post(ingest, LiveStack.INGEST_TOKEN, batch)));
        exchanges.add(new Exchange("post", ingest, ingest + " (empty)", stack.post(ingest, LiveStack.INGEST_TOKEN, "\n")));
        exchanges.add(new Exchange("post", ingest, ingest + " (read role)", stack.post(ingest, READ_TOKEN, batch)));
        exchanges.add(new Exchange("post", ingest, ingest + " (anonymous)", stack.post(ingest, null, batch)));
    }

    private static Exchange record(String template, String request, String token, String... headers)
            throws Exception {
        Exchange exchange = new Exchange(template, request, stack.get(request, token, headers));
        exchanges.add(exchange);
        return exchange;
    }

    /** Repeats the request with its ETag until both fall in one snapshot (one a second) and the answer is 304. */
    private static void notModified(String template, String request) throws Exception {
        stack.waitFor("a 304 from " + request, () -> {
            String tag = stack.get(request, READ_TOKEN).headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = stack.get(request, READ_TOKEN, "If-None-Match", tag);
            if (again.statusCode() == 304) {
                exchanges.add(new Exchange(template, request + " (If-None-Match: " + tag + ")", again));
                return true;
            }
            return false;
        });
    }

    @Test
    void theServedDocumentIsTheOneInTheJarAndNeedsTheReadRole() throws Exception {
        try (InputStream jar = getClass().getResourceAsStream("/openapi/openapi.json")) {
            assertThat(JSON.readTree(jar)).isEqualTo(document);
        }
        assertThat(document.path("openapi").asText()).startsWith("3.1.");
        assertThat(document.path("paths").fieldNames()).toIterable()
                .contains("/stats", "/stats/{target}", "/health", "/trends", "/metrics/json");
        assertThat(stack.get("/openapi.json", null).statusCode()).isEqualTo(401);
        assertThat(stack.get("/openapi.json", SCRAPE_TOKEN).statusCode()).isEqualTo(403);
    }

    @Test
    void theApiDocsPageComesFromTheJarAndNeedsTheReadRole() throws Exception {
        HttpResponse<String> page = stack.get("/api-docs", READ_TOKEN);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        Matcher assets = Pattern.compile("(?:src|href)=\"(api-docs/[^\"]+)\"").matcher(page.body());
        List<String> paths = new ArrayList<>();
        while (assets.find()) {
            paths.add("/" + assets.group(1));
        }
        assertThat(paths).anyMatch(p -> p.endsWith("/swagger-ui-bundle.js")).anyMatch(p -> p.endsWith(".css"))
                .anyMatch(p -> p.endsWith("/tally-api-docs.js"));
        assertThat(page.body()).doesNotContain("http://", "https://");
        for (String path : paths) {
            HttpResponse<String> asset = stack.get(path, READ_TOKEN);
            assertThat(asset.statusCode()).as(path).isEqualTo(200);
            assertThat(asset.body()).as(path).isNotEmpty();
            assertThat(stack.get(path, null).statusCode()).as(path + " without credentials").isEqualTo(401);
        }
        assertThat(stack.get(paths.get(paths.size() - 1), READ_TOKEN).body())
                .contains("openapi.json").contains("validatorUrl: null");
        assertThat(stack.get("/api-docs", null).statusCode()).isEqualTo(401);
    }

    @Test
    void oddRequestsToTheDocumentAndThePageGetNo5xxAndErrorsInTheApiShape() throws Exception {
        String asset = Pattern.compile("src=\"(api-docs/[^\"]+)\"").matcher(stack.get("/api-docs", READ_TOKEN).body())
                .results().map(r -> "/" + r.group(1)).findFirst().orElseThrow();
        List<String> paths = List.of("/openapi.json", "/api-docs", "/api-docs/", asset, asset + "/x");
        List<String[]> headers = List.of(new String[] {"Accept", "*/*;q=abc"}, new String[] {"Accept", "text/html"},
                new String[] {"Accept", "application/json"}, new String[] {"If-None-Match", "garbage"},
                new String[] {"Accept-Encoding", "gzip"});
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String path : paths) {
            for (String method : List.of("GET", "HEAD", "POST", "DELETE")) {
                for (String[] header : headers) {
                    HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create("http://127.0.0.1:" + stack.port() + path))
                            .method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
                            .header("Authorization", "Bearer " + READ_TOKEN).header(header[0], header[1]).build(),
                            HttpResponse.BodyHandlers.ofString());
                    String what = method + " " + path + " " + header[0] + ": " + header[1];
                    assertThat(response.statusCode()).as(what).isLessThan(500);
                    if (response.statusCode() >= 400 && !method.equals("HEAD")
                            && response.headers().firstValue("Content-Encoding").isEmpty()) {
                        assertThat(JSON.readTree(response.body()).at("/error/code").asInt()).as(what)
                                .isEqualTo(response.statusCode());
                    }
                }
            }
        }
    }

    @Test
    void nothingButThePagesOwnAssetsIsServed() throws Exception {
        String asset = Pattern.compile("src=\"(api-docs/[^\"]+)\"").matcher(stack.get("/api-docs", READ_TOKEN).body())
                .results().map(r -> "/" + r.group(1)).findFirst().orElseThrow();
        String version = asset.split("/")[2];
        for (String path : List.of("/api-docs/%2e%2e/openapi.json", "/api-docs/" + version + "/..%2Fswagger-ui.css",
                "/api-docs/" + version + "/%2e%2e%2f%2e%2e%2fMETA-INF%2fMANIFEST.MF", "/api-docs/" + version
                        + "/index.html", "/api-docs/" + version + "/swagger-initializer.js", "/api-docs/" + version
                        + "/swagger-ui-bundle.js.map", "/api-docs/0.0.1/swagger-ui-bundle.js")) {
            HttpResponse<String> response = stack.get(path, READ_TOKEN);
            assertThat(response.statusCode()).as(path).isIn(400, 404);
            assertThat(JSON.readTree(response.body()).at("/error/code").asInt()).as(path)
                    .isEqualTo(response.statusCode());
        }
    }

    @Test
    void everyResponseHasADocumentedStatusAndMatchesItsSchema() throws Exception {
        assertThat(exchanges).extracting(e -> e.response().statusCode()).contains(200, 304, 400, 401, 403, 404, 406,
                412);
        List<String> problems = new ArrayList<>();
        for (Exchange exchange : exchanges) {
            HttpResponse<String> response = exchange.response();
            JsonNode operation = document.path("paths").path(exchange.template()).path(exchange.method());
            assertThat(operation.isMissingNode()).as(exchange.template() + " is documented").isFalse();
            String pointer = "/paths/" + escape(exchange.template()) + "/" + exchange.method() + "/responses/"
                    + response.statusCode();
            if (document.at(pointer).isMissingNode()) {
                problems.add(exchange + ": status not documented");
                continue;
            }
            if (document.at(pointer).has("$ref")) {
                pointer = document.at(pointer).path("$ref").asText().substring(1);
            }
            JsonNode documented = document.at(pointer);
            for (Iterator<String> h = documented.path("headers").fieldNames(); h.hasNext(); ) {
                String header = h.next();
                if (response.headers().firstValue(header).isEmpty()) {
                    problems.add(exchange + ": no " + header + " header");
                }
            }
            if (!documented.has("content")) {
                if (!response.body().isEmpty()) {
                    problems.add(exchange + ": a body where none is documented");
                }
                continue;
            }
            String type = response.headers().firstValue("Content-Type").orElse("").split(";")[0].strip();
            String mediaType = null;
            for (Iterator<String> m = documented.path("content").fieldNames(); m.hasNext(); ) {
                String candidate = m.next();
                if (candidate.split(";")[0].strip().equalsIgnoreCase(type)) {
                    mediaType = candidate;
                }
            }
            if (mediaType == null) {
                problems.add(exchange + ": Content-Type " + type + " not documented");
                continue;
            }
            if (!type.equals("application/json")) {
                continue;
            }
            String schemaPointer = pointer + "/content/" + escape(mediaType) + "/schema";
            // Validated against the component it names: a pointer with a path's braces is no URI fragment.
            while (document.at(schemaPointer).has("$ref")) {
                schemaPointer = document.at(schemaPointer).path("$ref").asText().substring(1);
            }
            JsonNode body = JSON.readTree(response.body());
            for (Error error : schema(schemaPointer).validate(body)) {
                problems.add(exchange + ": " + error);
            }
        }
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    @Test
    void everyDocumentedFieldAppearsInRealResponses() throws Exception {
        Set<String> seen = new HashSet<>();
        for (Exchange exchange : exchanges) {
            String pointer = "/paths/" + escape(exchange.template()) + "/" + exchange.method() + "/responses/"
                    + exchange.response().statusCode();
            JsonNode documented = document.at(pointer);
            if (documented.has("$ref")) {
                pointer = documented.path("$ref").asText().substring(1);
            }
            JsonNode json = document.at(pointer).path("content").path("application/json");
            if (!json.isMissingNode() && !exchange.response().body().isEmpty()) {
                walk(pointer + "/content/application~1json/schema", JSON.readTree(exchange.response().body()), seen);
            }
        }
        Set<String> documented = new TreeSet<>();
        for (Iterator<String> names = document.path("components").path("schemas").fieldNames(); names.hasNext(); ) {
            String pointer = "/components/schemas/" + escape(names.next());
            fields(pointer, document.at(pointer), documented);
        }
        assertThat(documented).hasSizeGreaterThan(100);
        Set<String> never = new TreeSet<>(documented);
        never.removeAll(seen);
        assertThat(never).as("documented fields no real response has").isEmpty();
    }

    @Test
    void everyObjectSchemaIsClosedAndEveryReferenceResolves() {
        List<String> problems = new ArrayList<>();
        check("", document, problems);
        for (Iterator<String> names = document.path("components").path("schemas").fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!served.contains("\"#/components/schemas/" + name + "\"")) {
                problems.add("schema " + name + " is never used");
            }
        }
        assertThat(problems).isEmpty();
    }

    /** Closed objects (the contract's "no undocumented field"), maps with a value schema, and $refs that resolve. */
    private static void check(String pointer, JsonNode node, List<String> problems) {
        if (node.isObject()) {
            if (node.has("$ref") && node.path("$ref").isTextual()
                    && document.at(node.path("$ref").asText().substring(1)).isMissingNode()) {
                problems.add(pointer + ": $ref " + node.path("$ref").asText() + " resolves to nothing");
            }
            if (node.has("properties") && node.path("properties").isObject() && pointer.contains("/schema")) {
                if (!node.path("additionalProperties").isBoolean() || node.path("additionalProperties").asBoolean()) {
                    problems.add(pointer + ": an object schema without additionalProperties: false");
                }
            }
            if (pointer.contains("/schema") && node.path("type").asText().equals("object") && !node.has("properties")
                    && !node.path("additionalProperties").isObject()) {
                problems.add(pointer + ": a map schema without a schema for its values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> f = node.fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> field = f.next();
                check(pointer + "/" + escape(field.getKey()), field.getValue(), problems);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(pointer + "/" + i, node.get(i), problems);
            }
        }
    }

    /** Records which documented fields (and $ref variants of oneOf) {@code instance} has, under the schema at {@code pointer}. */
    private static void walk(String pointer, JsonNode instance, Set<String> seen) {
        JsonNode schema = document.at(pointer);
        if (schema.has("$ref")) {
            walk(schema.path("$ref").asText().substring(1), instance, seen);
            return;
        }
        if (schema.has("oneOf")) {
            for (int i = 0; i < schema.path("oneOf").size(); i++) {
                String branch = pointer + "/oneOf/" + i;
                if (schema(branch).validate(instance).isEmpty()) {
                    seen.add(branch);
                    walk(branch, instance, seen);
                }
            }
        }
        if (instance.isObject()) {
            JsonNode properties = schema.path("properties");
            for (Iterator<Map.Entry<String, JsonNode>> f = instance.fields(); f.hasNext(); ) {
                Map.Entry<String, JsonNode> field = f.next();
                if (properties.has(field.getKey())) {
                    String property = pointer + "/properties/" + escape(field.getKey());
                    seen.add(property);
                    walk(property, field.getValue(), seen);
                } else if (schema.path("additionalProperties").isObject()) {
                    walk(pointer + "/additionalProperties", field.getValue(), seen);
                }
            }
        } else if (instance.isArray()) {
            for (int i = 0; i < instance.size(); i++) {
                if (i < schema.path("prefixItems").size()) {
                    walk(pointer + "/prefixItems/" + i, instance.get(i), seen);
                } else if (schema.path("items").isObject()) {
                    walk(pointer + "/items", instance.get(i), seen);
                }
            }
        }
    }

    /** Every property and every $ref variant of a oneOf the schema at {@code pointer} documents. */
    private static void fields(String pointer, JsonNode schema, Set<String> out) {
        if (!schema.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> p = schema.path("properties").fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> property = p.next();
            String child = pointer + "/properties/" + escape(property.getKey());
            out.add(child);
            fields(child, property.getValue(), out);
        }
        for (int i = 0; i < schema.path("oneOf").size(); i++) {
            String branch = pointer + "/oneOf/" + i;
            if (schema.path("oneOf").get(i).has("$ref")) {
                out.add(branch);
            }
            fields(branch, schema.path("oneOf").get(i), out);
        }
        for (String keyword : List.of("items", "additionalProperties")) {
            if (schema.path(keyword).isObject()) {
                fields(pointer + "/" + keyword, schema.path(keyword), out);
            }
        }
        for (int i = 0; i < schema.path("prefixItems").size(); i++) {
            fields(pointer + "/prefixItems/" + i, schema.path("prefixItems").get(i), out);
        }
    }

    private static Schema schema(String pointer) {
        return compiled.computeIfAbsent(pointer, p -> schemas.getSchema(SchemaLocation.of(BASE + "#" + p)));
    }

    /** A JSON Pointer reference token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
