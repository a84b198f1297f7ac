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

    /**
     * Debian's Prometheus is built without Kubernetes discovery, so promtool checks everything but the
     * {@code kubernetes_sd_configs} block, which stands in as a static target; that block is checked
     * here against the manifests: it keeps the endpoints of the Service and port they declare.
     */
    @Test
    void theScrapeConfigurationIsValid(@TempDir Path dir) throws Exception {
        String scrape = block("scrape_configs:");
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode job = yaml.readTree(scrape).path("scrape_configs").get(0);
        JsonNode sd = job.path("kubernetes_sd_configs").get(0);
        assertThat(sd.path("role").asText()).isEqualTo("endpoints");
        List<JsonNode> manifests;
        try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(block("kind: StatefulSet"))) {
            manifests = it.readAll();
        }
        JsonNode service = manifests.get(0);
        assertThat(sd.path("namespaces").path("names").get(0).asText())
                .isEqualTo(service.path("metadata").path("namespace").asText());
        JsonNode keep = job.path("relabel_configs").get(0);
        assertThat(keep.path("action").asText()).isEqualTo("keep");
        assertThat(service.path("metadata").path("name").asText() + ";"
                + service.path("spec").path("ports").get(0).path("name").asText()).matches(keep.path("regex").asText());

        Path token = Files.writeString(dir.resolve("token"), "t");
        String checkable = scrape.replace("/etc/prometheus/secrets/tally-scrape-token", token.toString())
                .replaceAll("(?s)    kubernetes_sd_configs:\\n.*?(?=    relabel_configs:)",
                        "    static_configs: [ { targets: [ \"tally-0.tally.monitoring.svc:8080\" ] } ]\n");
        assertThat(checkable).doesNotContain("kubernetes_sd_configs");
        Path config = Files.writeString(dir.resolve("prometheus.yml"), checkable);
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
