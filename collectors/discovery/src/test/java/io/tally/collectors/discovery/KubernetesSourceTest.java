package io.tally.collectors.discovery;

import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetCatalog;
import io.tally.collectors.core.catalog.TargetType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The kubernetes source against fabric8's mock API server in CRUD mode: real HTTP, real watches. */
@Timeout(120)
class KubernetesSourceTest {
    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final TargetCatalog catalog = environment.targets();
    private final MockApiServer api = new MockApiServer();

    @AfterEach
    void stop() throws Exception {
        environment.close();
        api.close();
    }

    private RefreshManager start(String sources) throws Exception {
        // Interval and file watch at an hour: whatever happens within the test comes from informer events.
        DiscoveryFactory.Components components = TestSupport.discovery("""
                refresh: { interval: 1h, timeout: 5s, retries: 0, watchInterval: 1h }
                sources:
                """ + sources.indent(2)).build(environment);
        environment.start();
        return components.manager();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as(what + " within 20 s").isTrue();
    }

    private List<String> names() {
        return catalog.current().targets().stream().map(Target::name).sorted().toList();
    }

    private static SourceStats stats(RefreshManager manager, String source) {
        return manager.state().sources().stream().filter(s -> s.source().equals(source)).findFirst().orElseThrow();
    }

    @Test
    void turnsLabelledSecretsAndConfigMapsIntoTargetsAndFollowsTheirChanges(@TempDir Path dir) throws Exception {
        api.secret("payments", "slack-hook", Map.of("url", "https://hooks.slack.com/services/T0/B0/SECRETXYZ\n",
                "type", "slack", "labels.team", "payments", "probe.timeout", "2s", "probe.expectedStatus", "200, 202"));
        api.secret("payments", "bad-url", Map.of("url", "ftp://files.example.test/SECRETXYZ"));
        api.secret("payments", "typo", Map.of("url", "https://example.test/", "colour", "red"));
        api.secret("payments", "shaping", Map.of("url", "https://example.test/", "probe.method", "POST"));
        api.secret("payments", "tls", Map.of("url", "https://example.test/"), Map.of("tally.io/target", "true"),
                "kubernetes.io/tls");
        api.secret("payments", "unlabelled", Map.of("url", "https://example.test/"), Map.of("app", "other"), "Opaque");
        api.secret("elsewhere", "other-namespace", Map.of("url", "https://example.test/"));
        api.configMap("payments", "status-page", Map.of("url", "https://status.example.test/", "name", "status"));

        RefreshManager manager = start("""
                - type: kubernetes
                  name: k8s
                  kubeconfig: "%s"
                  resources: [ secrets, configmaps ]
                """.formatted(api.kubeconfig(dir, "payments")));

        // The first list's events ask for one more refresh, which may be running now.
        await("the first refresh succeeds", () -> manager.state().status() == RefreshStatus.SUCCESS);
        assertThat(names()).containsExactly("slack-hook", "status");
        Target slack = catalog.current().get("slack-hook");
        assertThat(slack.type()).isEqualTo(TargetType.SLACK);
        assertThat(slack.labels()).containsExactly(Map.entry("team", "payments"));
        assertThat(slack.probe().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(slack.probe().expectedStatus()).containsExactly(200, 202);
        assertThat(slack.source()).isEqualTo("k8s");
        assertThat(slack.url().reveal().toString()).isEqualTo("https://hooks.slack.com/services/T0/B0/SECRETXYZ");
        assertThat(slack.toString() + slack.url()).doesNotContain("SECRETXYZ");
        assertThat(manager.state().invalid()).extracting(InvalidEntry::entry, InvalidEntry::kind)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("bad-url", "invalid_url"),
                        org.assertj.core.groups.Tuple.tuple("typo", "malformed"),
                        org.assertj.core.groups.Tuple.tuple("shaping", "untrusted_probe"));
        assertThat(manager.state().invalid()).allSatisfy(i -> {
            assertThat(i.reason()).startsWith("Secret payments/").doesNotContain("SECRETXYZ");
            assertThat(i.source()).isEqualTo("k8s");
        });
        assertThat(stats(manager, "k8s").objectCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(
                List.of("secret", "valid"), 1, List.of("secret", "invalid"), 3, List.of("secret", "skipped"), 1,
                List.of("configmap", "valid"), 1, List.of("configmap", "invalid"), 0, List.of("configmap", "skipped"), 0));

        // Created, changed, deleted: each shows without a refresh being due (interval and watch at 1 h).
        api.secret("payments", "pagerduty", Map.of("url", "https://events.pagerduty.com/v2/enqueue", "type", "pagerduty"));
        await("a created Secret becomes a target", () -> names().contains("pagerduty"));
        api.secret("payments", "pagerduty", Map.of("url", "https://events.eu.pagerduty.com/v2/enqueue", "type", "pagerduty"));
        await("a changed Secret changes its target", () -> catalog.current().get("pagerduty") != null
                && catalog.current().get("pagerduty").url().host().equals("events.eu.pagerduty.com"));
        api.deleteSecret("payments", "slack-hook");
        await("a deleted Secret's target goes", () -> !names().contains("slack-hook"));
        assertThat(names()).containsExactly("pagerduty", "status");
        api.deleteSecret("payments", "bad-url");
        await("the counts follow", () -> stats(manager, "k8s").objectCounts().get(List.of("secret", "invalid")) == 2);
    }

    @Test
    void severalNamespacesOrAllOfThem(@TempDir Path dir) throws Exception {
        api.secret("a", "one", Map.of("url", "https://one.example.test/"));
        api.secret("b", "two", Map.of("url", "https://two.example.test/"));
        api.secret("c", "three", Map.of("url", "https://three.example.test/"));
        api.secret("c", "one", Map.of("url", "https://one-again.example.test/"));
        Path kubeconfig = api.kubeconfig(dir, "a");

        RefreshManager manager = start("""
                - { type: kubernetes, name: ab, kubeconfig: "%1$s", namespaces: [ a, b ] }
                - { type: kubernetes, name: all, kubeconfig: "%1$s", namespaces: [ "*" ], labelSelector: "tally.io/target" }
                """.formatted(kubeconfig));

        assertThat(catalog.current().targets()).extracting(Target::name, Target::source).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("one", "ab"), org.assertj.core.groups.Tuple.tuple("two", "ab"),
                org.assertj.core.groups.Tuple.tuple("three", "all"));
        // "one" in namespace c: a duplicate within its own source, reported with where it lives.
        assertThat(manager.state().invalid()).anySatisfy(i -> {
            assertThat(i.source()).isEqualTo("all");
            assertThat(i.kind()).isEqualTo("duplicate");
            assertThat(i.reason()).startsWith("Secret c/one:");
        });
    }

    @Test
    void aWatchThatDropsResumesAndCatchesUp(@TempDir Path dir) throws Exception {
        api.secret("payments", "before", Map.of("url", "https://before.example.test/"));
        RefreshManager manager = start("""
                - { type: kubernetes, kubeconfig: "%s" }
                """.formatted(api.kubeconfig(dir, "payments")));
        assertThat(names()).containsExactly("before");

        api.stop();
        // While the API server is away, a refresh fails as unreachable and keeps the last good targets
        // (once the client has noticed the cut watch: that takes a moment).
        await("a refresh fails while the API server is away",
                () -> manager.refreshNow().status() == RefreshStatus.FAILED);
        DiscoveryState down = manager.state();
        assertThat(down.lastError()).startsWith("kubernetes: unreachable:");
        assertThat(stats(manager, "kubernetes").errorsByKind()).containsKey("unreachable");
        assertThat(names()).containsExactly("before");

        api.restart();
        api.secret("payments", "after", Map.of("url", "https://after.example.test/"));
        await("the informer re-watches and the new Secret shows", () -> names().equals(List.of("after", "before")));
        await("the source recovers", () -> manager.state().status() == RefreshStatus.SUCCESS);
        api.deleteSecret("payments", "before");
        await("and keeps following", () -> names().equals(List.of("after")));
    }

    @Test
    void forbiddenIsReportedAndRecoversWhenAccessIsGranted(@TempDir Path dir) throws Exception {
        api.secret("locked", "hook", Map.of("url", "https://hook.example.test/"));
        api.forbid("locked");
        RefreshManager manager = start("""
                - { type: kubernetes, kubeconfig: "%s", namespaces: [ locked ] }
                - type: static
                  targets: [ { name: static-one, url: "https://static.example.test/" } ]
                """.formatted(api.kubeconfig(dir, "payments")));

        await("the first refresh fails", () -> manager.state().status() == RefreshStatus.FAILED);
        assertThat(manager.state().lastError()).startsWith("kubernetes: forbidden: HTTP 403 listing secrets in namespace"
                + " locked: secrets is forbidden");
        assertThat(stats(manager, "kubernetes").errorsByKind()).containsKey("forbidden");
        assertThat(names()).containsExactly("static-one");

        // The Role is granted: the informer, retrying with backoff, lists and its events bring the target.
        api.forbid(null);
        await("the target once access is granted", () -> names().equals(List.of("hook", "static-one")));
        await("the source recovers", () -> manager.state().status() == RefreshStatus.SUCCESS);

        // Forbidden again later (the RoleBinding removed) while the watch is cut: last good set kept.
        api.forbid("locked");
        api.stop();
        api.restart();
        await("a refresh fails as forbidden", () -> {
            String error = manager.refreshNow().lastError();
            return error != null && error.contains("kubernetes: forbidden: HTTP 403");
        });
        assertThat(names()).containsExactly("hook", "static-one");
    }

    @Test
    void inClusterReadsTheServiceAccountTokenCaAndNamespace(@TempDir Path dir) throws Exception {
        try (MockApiServer tls = new MockApiServer(true)) {
            tls.secret("tally", "in-cluster", Map.of("url", "https://in-cluster.example.test/"));
            Path account = Files.createDirectories(dir.resolve("serviceaccount"));
            Files.writeString(account.resolve("token"), MockApiServer.TOKEN + "\n");
            Files.copy(Path.of(tls.server().getSelfSignedCertificate().certificatePath()), account.resolve("ca.crt"));
            Files.writeString(account.resolve("namespace"), "tally");

            start("""
                    - type: kubernetes
                      apiServer: "https://localhost:%d"
                      serviceAccountDir: "%s"
                    """.formatted(tls.port(), account));

            assertThat(names()).containsExactly("in-cluster");
            io.fabric8.mockwebserver.http.RecordedRequest request = tls.server().getLastRequest();
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + MockApiServer.TOKEN);
        }
    }

    @Test
    void badSettingsFailStartUpNamingTheKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestSupport.source("""
                        type: kubernetes
                        kubeconfig: /nonexistent/kubeconfig
                        """).build(com.codahale.metrics.Clock.defaultClock()))
                .hasMessageContaining("kubeconfig /nonexistent/kubeconfig cannot be read");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestSupport.source("""
                        type: kubernetes
                        apiServer: "https://127.0.0.1:6443"
                        serviceAccountDir: /nonexistent
                        """).build(com.codahale.metrics.Clock.defaultClock()))
                .hasMessageContaining("serviceAccountDir");
    }
}
