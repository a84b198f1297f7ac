package io.tally.collectors.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetSet;
import io.tally.collectors.core.catalog.TargetType;
import io.tally.collectors.core.probe.BodyMatch;
import io.tally.collectors.core.probe.ProbeOverrides;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class HealthProberTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());

    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final TestServers servers = new TestServers();

    @AfterEach
    void close() throws Exception {
        environment.close();
        servers.close();
    }

    private static Target target(String name, String url, ProbeOverrides probe) {
        return new Target(name, TargetType.WEBHOOK, RedactedUrl.parse(url), true, Map.of(), "static", probe);
    }

    private HealthProber prober(String yaml, List<Target> targets) throws Exception {
        HealthFactory factory = YAML.readValue(yaml, HealthFactory.class);
        HealthProber prober = factory.buildProber(environment);
        environment.manage(prober);
        environment.targets().publish(new TargetSet(targets, Instant.now()));
        environment.start();
        return prober;
    }

    private static TargetHealth await(HealthProber prober, String name, Predicate<TargetHealth> condition)
            throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        TargetHealth last = null;
        while (System.nanoTime() < until) {
            last = prober.states().stream().filter(h -> h.target().name().equals(name)).findFirst().orElse(null);
            if (last != null && condition.test(last)) {
                return last;
            }
            Thread.sleep(10);
        }
        throw new AssertionError(name + " did not reach the condition; last: status=" + (last == null ? null
                : last.status() + " checks=" + last.checks() + " error=" + last.lastErrorClass() + " " + last.lastError()));
    }

    @Test
    void eachKindOfTargetReachesTheStatusTheRulesSay(@TempDir Path dir) throws Exception {
        String healthy = servers.http(200, "{\"status\":\"ok\"}", 0);
        String failing = servers.http(500, "boom", 0);
        String slow = servers.http(200, "ok", 1_000);
        String sluggish = servers.http(200, "ok", 120);
        String closed = "http://127.0.0.1:" + TestServers.closedPort() + "/";
        String selfSigned = servers.https(dir, 30);
        String wrongBody = servers.http(200, "{\"status\":\"down\"}", 0);
        ServerSocket tcpListener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        try {
            ProbeOverrides bodyOk = new ProbeOverrides(null, null, null, BodyMatch.compile("\"status\":\"ok\""), null, null);
            ProbeOverrides insecure = new ProbeOverrides(null, null, null, null, false, null);
            HealthProber prober = prober("""
                    interval: 250ms
                    timeout: 200ms
                    unhealthyAfter: 3
                    degradedLatency: 100ms
                    """, List.of(
                    target("healthy", healthy, bodyOk),
                    target("failing", failing, null),
                    target("slow", slow, null),
                    target("sluggish", sluggish, null),
                    target("closed", closed, null),
                    target("tls-verified", selfSigned, null),
                    target("tls-insecure", selfSigned, insecure),
                    target("wrong-body", wrongBody, bodyOk),
                    target("tcp-open", "tcp://127.0.0.1:" + tcpListener.getLocalPort(), null),
                    target("tcp-closed", "tcp://127.0.0.1:" + TestServers.closedPort(), null)));

            // Successes: healthy, or degraded while slower than degradedLatency (a first probe on a
            // cold JVM can be either, so wait for the status the rules must reach).
            await(prober, "healthy", h -> h.status() == HealthStatus.HEALTHY);
            await(prober, "tcp-open", h -> h.status() == HealthStatus.HEALTHY);
            TargetHealth slowButOk = await(prober, "sluggish", h -> h.checks() >= 3);
            assertThat(slowButOk.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(slowButOk.lastErrorClass()).isNull();
            assertThat(slowButOk.consecutiveFailures()).isZero();

            TargetHealth insecureHealth = await(prober, "tls-insecure", h -> h.status() == HealthStatus.HEALTHY);
            assertThat(insecureHealth.certificateExpiry()).isBetween(Instant.now().plus(Duration.ofDays(29)),
                    Instant.now().plus(Duration.ofDays(31)));

            // Failures: degraded after the first and second, unhealthy from the third consecutive one on.
            // Every (probe count, status) pair seen while they run must follow that rule.
            Map<String, String> expectedClass = Map.of("failing", "status", "slow", "timeout", "closed", "connect",
                    "tls-verified", "tls", "wrong-body", "body", "tcp-closed", "connect");
            Map<String, java.util.Set<String>> seen = new java.util.HashMap<>();
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < until) {
                boolean allUnhealthy = true;
                for (TargetHealth h : prober.states()) {
                    String name = h.target().name();
                    if (!expectedClass.containsKey(name)) {
                        continue;
                    }
                    if (h.checks() > 0) {
                        seen.computeIfAbsent(name, n -> new java.util.TreeSet<>()).add(h.checks() + ":" + h.status());
                        HealthStatus rule = h.checks() >= 3 ? HealthStatus.UNHEALTHY : HealthStatus.DEGRADED;
                        assertThat(h.status()).as(name + " after " + h.checks() + " failed probes").isEqualTo(rule);
                        assertThat(h.consecutiveFailures()).isEqualTo((int) h.checks());
                        assertThat(h.lastErrorClass()).as(name).isEqualTo(expectedClass.get(name));
                    }
                    allUnhealthy &= h.status() == HealthStatus.UNHEALTHY;
                }
                if (allUnhealthy && seen.size() == expectedClass.size()) {
                    break;
                }
                Thread.sleep(5);
            }
            assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(expectedClass.keySet());
            for (TargetHealth h : prober.states()) {
                if (expectedClass.containsKey(h.target().name())) {
                    assertThat(h.status()).as(h.target().name() + " " + seen.get(h.target().name()))
                            .isEqualTo(HealthStatus.UNHEALTHY);
                    assertThat(h.successRatio()).isEqualTo(0.0);
                }
            }
        } finally {
            tcpListener.close();
        }
    }

    @Test
    void recoversToHealthyAfterASuccessAndRatioFollowsTheWindow() throws Exception {
        TargetHealth h = TargetHealth.unknown(target("t", "http://127.0.0.1:1/", null));
        HealthRules rules = new HealthRules(3, 1.0, 4);
        Instant now = Instant.now();
        assertThat(h.status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(h.successRatio()).isNull();
        h = h.next(ProbeResult.failed(0.1, "connect", "refused", null), now, rules);
        assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
        h = h.next(ProbeResult.failed(0.1, "connect", "refused", null), now, rules);
        h = h.next(ProbeResult.failed(0.1, "timeout", "slow", null), now, rules);
        assertThat(h.status()).isEqualTo(HealthStatus.UNHEALTHY);
        h = h.next(ProbeResult.ok(0.2, null), now, rules);
        assertThat(h.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(h.consecutiveFailures()).isZero();
        assertThat(h.successRatio()).isEqualTo(0.25);
        h = h.next(ProbeResult.ok(0.3, null), now, rules).next(ProbeResult.ok(0.4, null), now, rules)
                .next(ProbeResult.ok(1.5, null), now, rules);
        assertThat(h.successRatio()).isEqualTo(1.0);
        assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(h.latencyPercentile(0.5)).isEqualTo(0.3);
        assertThat(h.latencyPercentile(0.95)).isEqualTo(1.5);
        assertThat(h.failuresByClass()).containsEntry("connect", 2L).containsEntry("timeout", 1L);
        assertThat(h.checks()).isEqualTo(7);
    }

    @Test
    void deniedNetworksAreNeverContacted() throws Exception {
        String url = servers.http(200, "ok", 0);
        HealthProber prober = prober("""
                interval: 200ms
                timeout: 100ms
                denyNetworks: [ "10.0.0.0/8", "127.0.0.0/8" ]
                """, List.of(target("internal", url, null)));

        TargetHealth denied = await(prober, "internal", h -> h.checks() >= 3);
        assertThat(denied.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(denied.lastErrorClass()).isEqualTo("denied");
        assertThat(denied.lastError()).contains("127.0.0.0/8");
        assertThat(servers.requests.get()).isZero();
    }

    @Test
    void removedTargetsStopBeingProbedAndLeaveTheCollectorOutput() throws Exception {
        String url = servers.http(200, "ok", 0);
        HealthProber prober = prober("interval: 200ms\ntimeout: 100ms\n",
                List.of(target("stays", url, null), target("goes", url + "?token=SECRETXYZ", null)));
        HealthCollector collector = new HealthCollector(prober);
        try (CollectorRegistry registry = new CollectorRegistry(List.of(collector), Duration.ofSeconds(1),
                environment.clock())) {
            await(prober, "goes", h -> h.status() == HealthStatus.HEALTHY);
            await(prober, "stays", h -> h.status() == HealthStatus.HEALTHY);
            Snapshot before = registry.collect();
            assertThat(targetsIn(before, "tally_target_up")).containsExactlyInAnyOrder("stays", "goes");
            assertThat(before.targets().facts("goes", HealthFact.class)).singleElement()
                    .satisfies(f -> assertThat(f.status()).isEqualTo(HealthStatus.HEALTHY));
            assertThat(before.family("tally_target_probe_duration_seconds").histograms()).hasSize(2);

            environment.targets().publish(new TargetSet(List.of(target("stays", url, null)), Instant.now()));
            Snapshot after = registry.collect();
            assertThat(targetsIn(after, "tally_target_up")).containsExactly("stays");
            assertThat(targetsIn(after, "tally_target_health_status")).containsOnly("stays");
            // What the server saw, told apart by the removed target's query string: a probe already
            // running at the removal may still arrive, none may start after it.
            int removedAtRemoval = servers.requestsWithQuery("token=SECRETXYZ");
            int staysAtRemoval = servers.requestsWithQuery("");
            assertThat(removedAtRemoval).isPositive();
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (servers.requestsWithQuery("") < staysAtRemoval + 3 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            // Three more probes of the remaining target: three of the removed one's slots have passed.
            assertThat(servers.requestsWithQuery("")).isGreaterThanOrEqualTo(staysAtRemoval + 3);
            assertThat(servers.requestsWithQuery("token=SECRETXYZ") - removedAtRemoval).isLessThanOrEqualTo(1);
            assertThat(prober.states()).extracting(h -> h.target().name()).containsExactly("stays");
        }
    }

    @Test
    void offsetsAreStableAndSpreadOverTheInterval() {
        long period = 30_000;
        assertThat(HealthProber.offsetMillis("slack-prod", period)).isEqualTo(HealthProber.offsetMillis("slack-prod", period));
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            offsets.add(HealthProber.offsetMillis("target-" + i, period));
        }
        int[] buckets = new int[10];
        offsets.forEach(o -> buckets[(int) (o * 10 / period)]++);
        for (int count : buckets) {
            assertThat(count).isBetween(800, 1200);
        }
    }

    private static List<String> targetsIn(Snapshot snapshot, String family) {
        MetricFamily f = snapshot.family(family);
        return f == null ? List.of() : f.samples().stream().map(Sample::labelValues).map(l -> l.get(0)).distinct().toList();
    }
}
