package io.tally.collectors.discovery;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.discovery.source.KubernetesEntries;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The data-key format, object by object, without an API server. */
class KubernetesEntriesTest {
    private static final List<String> BOTH = List.of(KubernetesEntries.SECRET, KubernetesEntries.CONFIG_MAP);

    private static Secret secret(String name, Map<String, String> data) {
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
                .withType("Opaque").withData(encoded).build();
    }

    private static InvalidEntry onlyInvalid(SourceResult result) {
        assertThat(result.targets()).isEmpty();
        assertThat(result.invalid()).hasSize(1);
        return result.invalid().get(0);
    }

    @Test
    void everyKeyOfTheFormatReachesTheTarget() {
        KubernetesEntries trusted = new KubernetesEntries("webhook", true, BOTH);
        Map<String, String> data = new LinkedHashMap<>();
        data.put("url", "https://hooks.example.test/x\n");
        data.put("name", "  named  ");
        data.put("enabled", "FALSE");
        data.put("labels.team", "sre\n");
        data.put("probe.method", "head");
        data.put("probe.expectedStatus", "200,204");
        data.put("probe.timeout", "3s");
        data.put("probe.bodyMatch", "ok ");
        data.put("probe.tlsVerify", "false");
        data.put("probe.headers.X-Probe", "tally");

        Target target = trusted.read("k8s", List.of(secret("obj", data))).targets().get(0);

        assertThat(target.name()).isEqualTo("named");
        assertThat(target.type().label()).isEqualTo("webhook");
        assertThat(target.enabled()).isFalse();
        assertThat(target.labels()).containsExactly(Map.entry("team", "sre"));
        assertThat(target.probe().method()).isEqualTo("HEAD");
        assertThat(target.probe().expectedStatus()).containsExactly(200, 204);
        assertThat(target.probe().timeout()).hasSeconds(3);
        assertThat(target.probe().tlsVerify()).isFalse();
        assertThat(target.probe().headers()).containsExactly(Map.entry("X-Probe", "tally"));
        assertThat(target.probe().bodyMatch()).isNotNull();
    }

    @Test
    void stringDataWinsOverDataAndConfigMapsNeedNoBase64() {
        KubernetesEntries entries = new KubernetesEntries("generic", false, BOTH);
        Secret secret = new SecretBuilder(secret("s", Map.of("url", "https://old.example.test/")))
                .withStringData(Map.of("url", "https://new.example.test/")).build();
        HasMetadata map = new ConfigMapBuilder().withNewMetadata().withName("m").withNamespace("ns").endMetadata()
                .withData(Map.of("url", "https://map.example.test/")).build();

        SourceResult result = entries.read("k8s", List.of(map, secret));

        assertThat(result.targets()).extracting(t -> t.url().host()).containsExactly("map.example.test", "new.example.test");
        assertThat(result.objectCounts()).containsEntry(List.of("configmap", "valid"), 1)
                .containsEntry(List.of("secret", "valid"), 1);
    }

    @Test
    void badValuesAreInvalidEntriesNamingTheObjectNeverTheValue() {
        KubernetesEntries entries = new KubernetesEntries("generic", false, BOTH);
        assertThat(onlyInvalid(entries.read("k8s", List.of(secret("none", Map.of("type", "slack"))))).reason())
                .isEqualTo("Secret ns/none: no 'url' key");
        InvalidEntry status = onlyInvalid(entries.read("k8s", List.of(secret("st",
                Map.of("url", "https://x.example.test/TOKENVALUE", "probe.expectedStatus", "ok")))));
        assertThat(status.kind()).isEqualTo("malformed");
        assertThat(status.reason()).contains("probe.expectedStatus").doesNotContain("TOKENVALUE");
        assertThat(onlyInvalid(entries.read("k8s", List.of(secret("en",
                Map.of("url", "https://x.example.test/", "enabled", "yes"))))).reason())
                .isEqualTo("Secret ns/en: enabled must be true or false");
        assertThat(onlyInvalid(entries.read("k8s", List.of(secret("zero",
                Map.of("url", "https://x.example.test/", "probe.timeout", "0s"))))).kind()).isEqualTo("invalid_probe");
        assertThat(onlyInvalid(entries.read("k8s", List.of(secret("Bad Name!",
                Map.of("url", "https://x.example.test/"))))).kind()).isEqualTo("invalid_name");
    }

    @Test
    void deletingAndNonOpaqueSecretsAreSkipped() {
        KubernetesEntries entries = new KubernetesEntries("generic", false, List.of(KubernetesEntries.SECRET));
        Secret deleting = new SecretBuilder(secret("d", Map.of("url", "https://x.example.test/"))).editMetadata()
                .withDeletionTimestamp("2026-12-02T10:00:00Z").endMetadata().build();
        Secret token = new SecretBuilder(secret("t", Map.of("url", "https://x.example.test/")))
                .withType("kubernetes.io/service-account-token").build();

        SourceResult result = entries.read("k8s", List.of(deleting, token));

        assertThat(result.targets()).isEmpty();
        assertThat(result.invalid()).isEmpty();
        assertThat(result.objectCounts()).isEqualTo(Map.of(List.of("secret", "valid"), 0,
                List.of("secret", "invalid"), 0, List.of("secret", "skipped"), 2));
    }
}
