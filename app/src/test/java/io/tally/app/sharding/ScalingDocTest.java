package io.tally.app.sharding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tally.app.testing.Promtool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/scaling.md's examples are checked by the tools that would read them: the Prometheus scrape
 * configuration by {@code promtool check config}, the alert rules by {@code promtool check rules},
 * and the Kubernetes manifests parse as the Service and StatefulSet they claim to be, with the
 * environment that makes {@code shard: auto} work.
 */
class ScalingDocTest {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    private static List<String> blocks() throws Exception {
        String page = Files.readString(Path.of("..", "docs", "scaling.md"));
        List<String> out = new ArrayList<>();
        Matcher m = YAML_BLOCK.matcher(page);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String block(String containing) throws Exception {
        return blocks().stream().filter(b -> b.contains(containing)).findFirst().orElseThrow();
    }

    @Test
    void theScrapeConfigurationIsValid(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t");
        Path config = Files.writeString(dir.resolve("prometheus.yml"), block("scrape_configs:")
                .replace("/etc/prometheus/secrets/tally-scrape-token", token.toString()));
        Promtool.Result result = Promtool.run("check", "config", "--syntax-only", config.toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void theAlertRulesAreValid(@TempDir Path dir) throws Exception {
        String rules = block("- alert: TallyShards").indent(6);
        Path file = Files.writeString(dir.resolve("rules.yml"), "groups:\n  - name: tally-sharding\n    rules:\n" + rules);
        Promtool.Result result = Promtool.run("check", "rules", file.toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("2 rules found");
    }

    @Test
    void theManifestsAreAHeadlessServiceAndAStatefulSetThatShardsByOrdinal() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> documents;
        try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(block("kind: StatefulSet"))) {
            documents = it.readAll();
        }
        assertThat(documents).extracting(d -> d.path("kind").asText()).containsExactly("Service", "StatefulSet");
        JsonNode service = documents.get(0);
        JsonNode set = documents.get(1);
        assertThat(service.path("spec").path("clusterIP").asText()).isEqualTo("None");
        assertThat(set.path("spec").path("serviceName").asText()).isEqualTo(service.path("metadata").path("name").asText());
        List<String> env = new ArrayList<>();
        JsonNode container = set.path("spec").path("template").path("spec").path("containers").get(0);
        container.path("env").forEach(e -> env.add(e.path("name").asText() + "=" + e.path("value").asText()));
        assertThat(env).contains("TALLY_SHARD=auto", "TALLY_SHARDS=" + set.path("spec").path("replicas").asInt());
        // The pod names a StatefulSet gives are what shard: auto reads.
        assertThat(ShardingConfiguration.ordinal(set.path("metadata").path("name").asText() + "-7")).hasValue(7);
    }
}
