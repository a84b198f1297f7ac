package io.tally.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tally.app.testing.LiveStack;
import io.tally.app.testing.PrometheusProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/grafana/tally.json and docs/prometheus/tally-rules.yml against a real Prometheus scraping a
 * live Tally every second ({@link LiveStack}: loopback targets, a real Alertmanager, queues on the
 * local Redis). Every panel query is run as Grafana would run it, with the template variables set
 * to one real target and to "All", and must parse and return data; every family a query or a rule
 * names must exist. The rules file is loaded by that Prometheus as it is: every rule must be
 * accepted and evaluate without error, the recording rules must produce series, and the alerts
 * for the problems the stack really has must become active while the others stay quiet.
 */
@Timeout(300)
class DashboardAndRulesLiveTest {
    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "tally.json");
    private static final Path RULES = Path.of("..", "docs", "prometheus", "tally-rules.yml");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Grafana's built-in variables, set as Grafana would for a 1 s scrape and a 1 h range. */
    private static final Map<String, String> BUILT_INS = Map.of("__rate_interval", "30s", "__interval", "15s",
            "__range", "1h");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");
    private static final Pattern FAMILY = Pattern.compile("\\b(tally_[a-z0-9_]+|tally:[a-z0-9_:]+|up)\\b");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*([a-zA-Z_]+)\\)");

    @TempDir
    static Path dir;
    private static LiveStack stack;
    private static PrometheusProcess prometheus;
    private static JsonNode dashboard;

    @BeforeAll
    static void start() throws Exception {
        dashboard = JSON.readTree(DASHBOARD.toFile());
        stack = LiveStack.start(dir);
        prometheus = new PrometheusProcess(dir, """
                global: { scrape_interval: 1s, scrape_timeout: 900ms, evaluation_interval: 1s }
                rule_files: [ "%s" ]
                scrape_configs:
                  - job_name: tally
                    authorization: { type: Bearer, credentials: "%s" }
                    static_configs: [ { targets: [ "%s" ] } ]
                """.formatted(RULES.toAbsolutePath().normalize(), LiveStack.SCRAPE_TOKEN, stack.instance()));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (stack != null) {
                stack.close();
            }
        }
    }

    @Test
    void theDashboardIsImportableAsItIs() {
        assertThat(dashboard.path("schemaVersion").asInt()).as("schemaVersion of Grafana 10.4 to 12").isBetween(39, 41);
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("title").asText()).isNotBlank();
        Map<String, JsonNode> variables = variables();
        assertThat(variables).containsKeys("datasource", "instance", "target");
        assertThat(variables.get("datasource").path("type").asText()).isEqualTo("datasource");
        assertThat(variables.get("datasource").path("query").asText()).isEqualTo("prometheus");
        assertThat(variables.get("target").path("query").asText()).startsWith("label_values(tally_target_up");

        Set<Integer> ids = new HashSet<>();
        List<JsonNode> panels = panels(false);
        for (JsonNode panel : panels) {
            String name = "panel '" + panel.path("title").asText() + "'";
            assertThat(ids.add(panel.path("id").asInt())).as(name + " has a unique id").isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(name + " fits 24 columns").isBetween(1, 24);
            assertThat(grid.path("h").asInt()).as(name + " has a height").isPositive();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("type").asText()).as(name).isIn("timeseries", "stat", "bargauge", "table");
            assertThat(panel.path("datasource").path("uid").asText()).as(name).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(name + " has queries").isNotEmpty();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).as(name).isEqualTo("${datasource}");
                assertThat(refIds.add(target.path("refId").asText())).as(name + " refIds are unique").isTrue();
                Matcher m = VARIABLE.matcher(target.path("expr").asText());
                while (m.find()) {
                    assertThat(variables.containsKey(m.group(1)) || BUILT_INS.containsKey(m.group(1)))
                            .as(name + " uses variable $" + m.group(1) + ", which the dashboard defines").isTrue();
                }
            }
        }
        assertThat(panels).filteredOn(p -> !p.path("type").asText().equals("row")).hasSizeGreaterThan(20);
    }

    @Test
    void theVariableQueriesFindTheLiveTallyAndItsTargets() throws Exception {
        Map<String, String> all = Map.of("instance", ".*", "target", ".*");
        Map<String, Set<String>> found = new LinkedHashMap<>();
        stack.waitFor("the dashboard's variables to find the live Tally", () -> {
            for (Map.Entry<String, JsonNode> variable : variables().entrySet()) {
                if (!variable.getValue().path("type").asText().equals("query")) {
                    continue;
                }
                Matcher m = LABEL_VALUES.matcher(variable.getValue().path("query").asText());
                assertThat(m.matches()).as(variable.getKey() + " is a label_values query").isTrue();
                JsonNode series = prometheus.api("/api/v1/series?match[]="
                        + URLEncoder.encode(substitute(m.group(1), all), StandardCharsets.UTF_8));
                Set<String> values = new TreeSet<>();
                series.forEach(s -> values.add(s.path(m.group(2)).asText()));
                found.put(variable.getKey(), values);
            }
            return found.getOrDefault("instance", Set.of()).contains(stack.instance())
                    && found.getOrDefault("target", Set.of()).containsAll(Set.of(LiveStack.TARGET, "steady", "down"));
        });
    }

    @Test
    void everyPanelQueryParsesAndReturnsDataForOneTargetAndForAll() throws Exception {
        Map<String, String> one = Map.of("instance", stack.instance().replace(".", "\\\\."), "target", LiveStack.TARGET);
        Map<String, String> all = Map.of("instance", ".*", "target", ".*");
        List<String> problems = new ArrayList<>();
        try {
            stack.waitFor("every panel query to return data", () -> {
                problems.clear();
                for (JsonNode panel : panels(true)) {
                    for (JsonNode target : panel.path("targets")) {
                        for (Map<String, String> values : List.of(one, all)) {
                            String expr = substitute(target.path("expr").asText(), values);
                            String where = "'" + panel.path("title").asText() + "' " + target.path("refId").asText()
                                    + " with " + values + ": " + expr;
                            try {
                                JsonNode result = target.path("instant").asBoolean() ? prometheus.query(expr)
                                        : range(expr);
                                if (!hasFiniteValue(result.path("result"))) {
                                    problems.add("no data: " + where);
                                }
                            } catch (IllegalStateException rejected) {
                                problems.add("rejected: " + where + " -> " + rejected.getMessage());
                            }
                        }
                    }
                }
                return problems.isEmpty();
            });
        } catch (AssertionError timedOut) {
            throw new AssertionError(String.join("\n", problems), timedOut);
        }
    }

    @Test
    void everyFamilyTheDashboardAndTheRulesNameExists() throws Exception {
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : panels(true)) {
            for (JsonNode target : panel.path("targets")) {
                names.addAll(families(target.path("expr").asText()));
            }
        }
        for (JsonNode variable : variables().values()) {
            names.addAll(families(variable.path("query").asText()));
        }
        for (JsonNode rule : rules()) {
            names.addAll(families(rule.path("expr").asText()));
        }
        List<String> missing = new ArrayList<>();
        try {
            stack.waitFor("every family named to have series", () -> {
                missing.clear();
                for (String name : names) {
                    if (prometheus.query("count({__name__=\"" + name + "\"})").path("result").isEmpty()) {
                        missing.add(name);
                    }
                }
                return missing.isEmpty();
            });
        } catch (AssertionError timedOut) {
            throw new AssertionError("no series of " + missing, timedOut);
        }
        assertThat(names).contains("tally_health_score", "tally_publisher_latency_seconds_bucket",
                "tally_queue_verdict", "tally_collection_overruns_total");
    }

    @Test
    void everyRuleIsAcceptedAndEvaluatesWithoutErrorOnLiveData() throws Exception {
        List<JsonNode> expected = rules();
        List<JsonNode> loaded = new ArrayList<>();
        stack.waitFor("Prometheus to evaluate every rule of the file", () -> {
            loaded.clear();
            for (JsonNode group : prometheus.api("/api/v1/rules").path("groups")) {
                group.path("rules").forEach(loaded::add);
            }
            return loaded.size() == expected.size()
                    && loaded.stream().noneMatch(r -> r.path("lastEvaluation").asText().startsWith("0001-"));
        });
        for (JsonNode rule : loaded) {
            assertThat(rule.path("health").asText()).as(rule.path("name").asText() + ": " + rule.path("lastError"))
                    .isEqualTo("ok");
            assertThat(rule.path("lastError").asText()).isEmpty();
        }
        for (JsonNode rule : expected) {
            // Throws with Prometheus' error when the expression does not parse or evaluate.
            prometheus.query(rule.path("expr").asText());
        }
        List<String> recordings = expected.stream().filter(r -> r.has("record")).map(r -> r.path("record").asText())
                .toList();
        assertThat(recordings).isNotEmpty();
        stack.waitFor("every recording rule to produce series from live data", () -> {
            for (String record : recordings) {
                if (prometheus.query(record).path("result").isEmpty()) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void theAlertsForTheStacksRealProblemsBecomeActiveAndTheOthersStayQuiet() throws Exception {
        // Three more dead letters once Prometheus has seen the queue as it was.
        String deadLetters = "tally_queue_depth{queue=\"" + stack.deadLetterQueue() + "\"}";
        stack.waitFor("Prometheus to scrape the dead-letter queue", () -> !prometheus.query(deadLetters)
                .path("result").isEmpty());
        stack.push(stack.deadLetterQueue(), 3);
        List<String[]> expected = List.of(
                new String[] {"TallyTargetUnhealthy", "target", "down"},
                new String[] {"TallyTargetProbesFailing", "target", LiveStack.TARGET},
                new String[] {"TallyPublishingFailureRatioHigh", "target", LiveStack.TARGET},
                new String[] {"TallyQueueStalled", "queue", stack.workQueue()},
                new String[] {"TallyQueueNearCapacity", "queue", stack.workQueue()},
                new String[] {"TallyDeadLettersArriving", "queue", stack.deadLetterQueue()},
                new String[] {"TallyCollectorFailing", "collector", "rabbit-missing"});
        Set<String> active = new LinkedHashSet<>();
        try {
            stack.waitFor("the alerts of the stack's problems to be pending or firing", () -> {
                active.clear();
                for (JsonNode alert : prometheus.query("ALERTS").path("result")) {
                    JsonNode labels = alert.path("metric");
                    active.add(labels.path("alertname").asText() + " " + labels);
                }
                return expected.stream().allMatch(e -> isActive(active, e));
            });
        } catch (AssertionError timedOut) {
            throw new AssertionError("active: " + active, timedOut);
        }
        assertThat(active).noneMatch(a -> a.startsWith("TallyDown ") || a.startsWith("TallySnapshotStale ")
                || a.startsWith("TallyTrendHistoryNotSaved ") || a.startsWith("TallyDiscoveryFailing "));
        assertThat(active).as("healthy targets and dead-letter queues are not reported as unhealthy or stalled")
                .noneMatch(a -> a.startsWith("TallyTargetUnhealthy ") && a.contains("\"target\":\"steady\""))
                .noneMatch(a -> a.startsWith("TallyQueueStalled ") && a.contains("\"role\":\"dlq\""));
    }

    private static boolean isActive(Set<String> active, String[] alert) {
        String label = JSON.createObjectNode().put(alert[1], alert[2]).toString();
        String pair = label.substring(1, label.length() - 1);
        return active.stream().anyMatch(a -> a.startsWith(alert[0] + " ") && a.contains(pair));
    }

    private static JsonNode range(String expr) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        return prometheus.api("/api/v1/query_range?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                + "&start=" + (now - 120) + "&end=" + now + "&step=2");
    }

    /** Some sample of the result (instant or range) is a number, not NaN or an infinity. */
    private static boolean hasFiniteValue(JsonNode result) {
        for (JsonNode series : result) {
            List<JsonNode> points = new ArrayList<>();
            if (series.has("value")) {
                points.add(series.path("value"));
            }
            series.path("values").forEach(points::add);
            for (JsonNode point : points) {
                double v = Double.parseDouble(point.get(1).asText());
                if (Double.isFinite(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String substitute(String expr, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.getOrDefault(m.group(1), BUILT_INS.get(m.group(1)));
            assertThat(value).as("a value for $" + m.group(1) + " in " + expr).isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Set<String> families(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = FAMILY.matcher(expr);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Map<String, JsonNode> variables() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        dashboard.path("templating").path("list").forEach(v -> out.put(v.path("name").asText(), v));
        return out;
    }

    /** Every panel, those inside collapsed rows included; rows themselves unless {@code queriesOnly}. */
    private static List<JsonNode> panels(boolean queriesOnly) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (!queriesOnly || !panel.path("type").asText().equals("row")) {
                out.add(panel);
            }
            panel.path("panels").forEach(out::add);
        }
        return out;
    }

    private static List<JsonNode> rules() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode group : new ObjectMapper(new YAMLFactory()).readTree(RULES.toFile()).path("groups")) {
            group.path("rules").forEach(out::add);
        }
        return out;
    }
}
