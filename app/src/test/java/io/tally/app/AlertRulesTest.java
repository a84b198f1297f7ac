package io.tally.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tally.app.testing.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/prometheus/tally-rules.yml as operators load it: {@code promtool check rules} accepts it,
 * {@code promtool test rules} passes its unit tests (tally-rules.test.yml), every alert is tested
 * both firing and not firing, and every alert has a severity, a summary, a description and a
 * runbook_url that names its own section of docs/runbooks.md, which says what it means, what to
 * check and how to fix it. (DashboardAndRulesLiveTest loads the same file into a real Prometheus.)
 */
@Timeout(120)
class AlertRulesTest {
    private static final Path RULES = Path.of("..", "docs", "prometheus", "tally-rules.yml");
    private static final Path TESTS = Path.of("..", "docs", "prometheus", "tally-rules.test.yml");
    private static final Path RUNBOOKS = Path.of("..", "docs", "runbooks.md");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Promtool.Result result = Promtool.run("check", "rules", RULES.toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + rules().size() + " rules found");
    }

    @Test
    void promtoolUnitTestsPass() throws Exception {
        Promtool.Result result = Promtool.run("test", "rules", TESTS.toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertIsTestedFiringAndNotFiring() throws Exception {
        List<JsonNode> checks = new ArrayList<>();
        for (JsonNode test : YAML.readTree(TESTS.toFile()).path("tests")) {
            test.path("alert_rule_test").forEach(checks::add);
        }
        for (String alert : alerts().stream().map(a -> a.path("alert").asText()).toList()) {
            assertThat(checks).as(alert + " is tested firing")
                    .anyMatch(c -> c.path("alertname").asText().equals(alert) && !c.path("exp_alerts").isEmpty());
            assertThat(checks).as(alert + " is tested not firing")
                    .anyMatch(c -> c.path("alertname").asText().equals(alert) && c.path("exp_alerts").isEmpty());
        }
    }

    @Test
    void everyAlertHasASeverityAnnotationsAndARunbookSection() throws Exception {
        String runbooks = Files.readString(RUNBOOKS);
        List<JsonNode> alerts = alerts();
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(10);
        for (JsonNode alert : alerts) {
            String name = alert.path("alert").asText();
            assertThat(alert.path("labels").path("severity").asText()).as(name).isIn("critical", "warning");
            JsonNode annotations = alert.path("annotations");
            assertThat(annotations.path("summary").asText()).as(name + " summary").isNotBlank();
            assertThat(annotations.path("description").asText()).as(name + " description").isNotBlank();
            // GitHub and most renderers make "## TallyDown" the anchor #tallydown.
            assertThat(annotations.path("runbook_url").asText()).as(name)
                    .isEqualTo("docs/runbooks.md#" + name.toLowerCase(Locale.ROOT));
            String section = section(runbooks, name);
            assertThat(section).as("docs/runbooks.md has a section '## " + name + "'").isNotNull();
            assertThat(section).as(name + " runbook").contains("**Means.**", "**Check.**", "**Fix.**");
        }
        Matcher headings = Pattern.compile("^## (\\S+)$", Pattern.MULTILINE).matcher(runbooks);
        while (headings.find()) {
            String heading = headings.group(1);
            assertThat(alerts).as("runbook section " + heading + " belongs to an alert")
                    .anyMatch(a -> a.path("alert").asText().equals(heading));
        }
    }

    /** The text of {@code ## name} up to the next heading of that level, or null. */
    private static String section(String markdown, String name) {
        Matcher m = Pattern.compile("^## " + Pattern.quote(name) + "$", Pattern.MULTILINE).matcher(markdown);
        if (!m.find()) {
            return null;
        }
        int next = markdown.indexOf("\n## ", m.end());
        return markdown.substring(m.end(), next < 0 ? markdown.length() : next);
    }

    private static List<JsonNode> alerts() throws Exception {
        return rules().stream().filter(r -> r.has("alert")).toList();
    }

    private static List<JsonNode> rules() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode group : YAML.readTree(RULES.toFile()).path("groups")) {
            group.path("rules").forEach(out::add);
        }
        return out;
    }
}
