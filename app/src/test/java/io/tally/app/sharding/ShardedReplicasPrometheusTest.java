package io.tally.app.sharding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tally.app.testing.PrometheusProcess;
import io.tally.app.testing.TallyProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proof, with real parts: three Tally replicas in their own JVMs (shards 0, 1, 2 of 3;
 * shard 2 finds its index in its host name) share 30 loopback targets that record which replica
 * probed them, and a real Prometheus scrapes them (job "tally") and one unsharded Tally (job "solo")
 * whose trends come from that Prometheus.
 * <ul>
 *   <li>every target is probed by exactly one replica, the one the rendezvous hash names;</li>
 *   <li>sums across the replicas in Prometheus equal the unsharded replica's figures;</li>
 *   <li>a stopped replica: up == 0 and its targets' series vanish; restarted, they return;</li>
 *   <li>the trend of a target whose probes fail more and more, asked of the replica that owns it
 *       (embedded store) and of the one reading Prometheus, has the same direction: falling.</li>
 * </ul>
 */
class ShardedReplicasPrometheusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TARGETS = 30;
    /**
     * A target whose probes fail more and more, evenly spread: the share failing grows from 0 at the
     * start to 1 after five minutes, so its success ratio falls through any window the test asks about.
     */
    private static final String WORSENING = "t0";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Map<String, AtomicInteger>> probesByPathAndAgent = new ConcurrentHashMap<>();
    private HttpServer targets;
    private PrometheusProcess prometheus;
    private Path dir;
    private long began;
    private volatile String lastTrends;

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (targets != null) {
            targets.stop(0);
        }
    }

    @Test
    void threeReplicasShareThirtyTargetsAndPrometheusSeesThemAll(@TempDir Path dir) throws Exception {
        began = System.nanoTime();
        this.dir = dir;
        startTargets();
        List<String> names = IntStream.range(0, TARGETS).mapToObj(i -> "t" + i).toList();
        int[] appPorts = new int[4];
        int[] adminPorts = new int[4];
        for (int i = 0; i < 4; i++) {
            appPorts[i] = TallyProcess.freePort();
            adminPorts[i] = TallyProcess.freePort();
        }
        // Prometheus first (its targets come up as the replicas do): the solo replica needs its address.
        prometheus = new PrometheusProcess(dir, """
                global: { scrape_interval: 1s, scrape_timeout: 900ms }
                scrape_configs:
                  - job_name: tally
                    static_configs: [ { targets: [ "127.0.0.1:%d", "127.0.0.1:%d", "127.0.0.1:%d" ] } ]
                  - job_name: solo
                    static_configs: [ { targets: [ "127.0.0.1:%d" ] } ]
                """.formatted(appPorts[0], appPorts[1], appPorts[2], appPorts[3]));
        Path[] configs = new Path[4];
        for (int shard = 0; shard < 3; shard++) {
            String sharding = shard == 2 ? "{ shard: auto, hostname: tally-2, shards: 3 }"
                    : "{ shard: " + shard + ", shards: 3 }";
            configs[shard] = writeConfig(dir, "replica-" + shard, appPorts[shard], adminPorts[shard],
                    "sharding: " + sharding, "tally-shard-" + shard, names, "");
        }
        configs[3] = writeConfig(dir, "solo", appPorts[3], adminPorts[3], "", "tally-solo", names, """
                  backend: prometheus
                  prometheus: { url: "http://127.0.0.1:%d", matchers: 'job="tally"', timeout: 10s, rateInterval: 15s }
                """.formatted(prometheus.port()));
        Process[] replicas = new Process[4];
        for (int i = 0; i < 4; i++) {
            replicas[i] = start(dir, i == 3 ? "solo" : "replica-" + i, configs[i]);
        }

        // Every replica up, every target reported by the shards together and by the unsharded one.
        await("all replicas scraped and all 30 targets seen", 300, () ->
                value("count(up{job=~\"tally|solo\"} == 1)") == 4
                        && value("count(tally_target_up{job=\"tally\"})") == TARGETS
                        && value("count(tally_target_up{job=\"solo\"})") == TARGETS);
        // A few rounds of probes, so that a target probed twice would show.
        Thread.sleep(3000);

        // Each target probed by exactly one shard: the rendezvous owner.
        Map<String, Set<String>> shardsByPath = new TreeMap<>();
        probesByPathAndAgent.forEach((path, agents) -> shardsByPath.put(path, agents.keySet().stream()
                .filter(a -> a.startsWith("tally-shard-")).collect(Collectors.toCollection(TreeSet::new))));
        assertThat(shardsByPath.keySet()).containsExactlyInAnyOrderElementsOf(names);
        for (String name : names) {
            assertThat(shardsByPath.get(name)).as("shards that probed %s", name)
                    .containsExactly("tally-shard-" + Rendezvous.owner(name, 3));
        }
        for (int shard = 0; shard < 3; shard++) {
            int index = shard;
            int owned = (int) names.stream().filter(n -> Rendezvous.owner(n, 3) == index).count();
            assertThat(value("tally_shard_targets_owned{job=\"tally\",instance=\"127.0.0.1:" + appPorts[shard] + "\"}"))
                    .isEqualTo(owned);
            assertThat(value("count(tally_shard_info{job=\"tally\",shard=\"" + shard + "\",shards=\"3\"})")).isEqualTo(1);
        }

        // Sums across the shards equal the one replica that owns everything.
        assertThat(value("sum(tally_shard_targets_owned{job=\"tally\"})"))
                .isEqualTo(value("sum(tally_shard_targets_owned{job=\"solo\"})")).isEqualTo(TARGETS);
        assertThat(value("sum(tally_health_targets{job=\"tally\"})"))
                .isEqualTo(value("sum(tally_health_targets{job=\"solo\"})")).isEqualTo(TARGETS);
        assertThat(value("count(count by (target) (tally_target_checks_total{job=\"tally\"}))"))
                .isEqualTo(value("count(count by (target) (tally_target_checks_total{job=\"solo\"}))"));
        assertThat(value("max(count by (target) (tally_target_up{job=\"tally\"}))")).as("replicas per target")
                .isEqualTo(1);

        // Shard 1 stops: Prometheus marks it down and its targets' series go; nobody else takes them.
        String one = "127.0.0.1:" + appPorts[1];
        Set<String> ownedByOne = names.stream().filter(n -> Rendezvous.owner(n, 3) == 1)
                .collect(Collectors.toCollection(TreeSet::new));
        String ofOne = "tally_target_up{job=\"tally\",target=~\"" + String.join("|", ownedByOne) + "\"}";
        replicas[1].destroy();
        assertThat(replicas[1].waitFor(30, TimeUnit.SECONDS)).isTrue();
        await("shard 1 down and its targets gone", 60, () ->
                value("up{job=\"tally\",instance=\"" + one + "\"}") == 0
                        && value("count(tally_target_up{job=\"tally\"})") == TARGETS - ownedByOne.size()
                        && Double.isNaN(value("count(" + ofOne + ")")));

        // Restarted with the same configuration: they come back.
        replicas[1] = start(dir, "replica-1-again", configs[1]);
        await("shard 1 back with its targets", 90, () ->
                value("up{job=\"tally\",instance=\"" + one + "\"}") == 1
                        && value("count(" + ofOne + ")") == ownedByOne.size()
                        && value("count(tally_target_up{job=\"tally\"})") == TARGETS);

        // The same target's trend from the owner's embedded store and from Prometheus: both falling.
        int owner = Rendezvous.owner(WORSENING, 3);
        String path = "/trends?metric=success_ratio&window=5m&target=" + WORSENING;
        JsonNode[] last = new JsonNode[2];
        await("both trends of " + WORSENING + " falling", 120, () -> {
            if (last[0] != null) {
                lastTrends = last[0] + " / " + last[1];
            }
            last[0] = json(appPorts[owner], path);
            last[1] = json(appPorts[3], path);
            return "falling".equals(last[0].path("direction").asText())
                    && "falling".equals(last[1].path("direction").asText());
        });
        assertThat(last[0].path("backend").asText()).isEqualTo("embedded");
        assertThat(last[1].path("backend").asText()).isEqualTo("prometheus");
        assertThat(last[1].path("points").size()).isGreaterThanOrEqualTo(3);
        // The replica reading Prometheus answers for a target another shard would own, and its
        // /stats/{target} trend block comes from there too.
        // Its block looks back an hour, at a coarser step than the 5 min window above, so on a fast
        // run it may take a few more scrapes to reach three points.
        await("the /stats/" + WORSENING + " trend block from Prometheus with 3 points", 120, () ->
                json(appPorts[3], "/stats/" + WORSENING).path("trend").path("success_ratio").path("points").asInt() >= 3);
        // Every figure's PromQL is accepted by Prometheus, system-wide and per target; those with data have points.
        for (String metric : List.of("success_ratio", "error_ratio", "latency_p95_seconds", "queue_depth",
                "healthy_targets")) {
            for (String target : metric.equals("healthy_targets") ? List.of("") : List.of("", "&target=t7")) {
                JsonNode t = json(appPorts[3], "/trends?window=5m&metric=" + metric + target);
                assertThat(t.path("backend").asText()).as(metric + target).isEqualTo("prometheus");
                assertThat(t.path("reason").asText("")).as(metric + target).doesNotContain("trend store");
                if (!metric.equals("queue_depth")) {
                    assertThat(t.path("points").size()).as(metric + target).isGreaterThanOrEqualTo(3);
                }
            }
        }
        // The latest point counts healthy targets across all shards: more than any one shard owns (at most 14
        // of 30 here), though the worsening target may be degraded (the first points may predate the first probes).
        JsonNode healthy = json(appPorts[3], "/trends?window=5m&metric=healthy_targets").path("points");
        int largestShard = IntStream.range(0, 3).map(s -> (int) names.stream().filter(n -> Rendezvous.owner(n, 3) == s)
                .count()).max().orElseThrow();
        assertThat(healthy.get(healthy.size() - 1).get(1).asDouble()).isGreaterThan(largestShard)
                .isLessThanOrEqualTo(TARGETS);
        System.out.printf("ShardedReplicasPrometheusTest took %.1f s%n", (System.nanoTime() - began) / 1e9);
    }

    private void startTargets() throws IOException {
        targets = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        long started = System.nanoTime();
        AtomicInteger worseningProbes = new AtomicInteger();
        targets.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath().substring(1);
            String agent = String.valueOf(exchange.getRequestHeaders().getFirst("User-Agent"));
            probesByPathAndAgent.computeIfAbsent(path, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(agent, k -> new AtomicInteger()).incrementAndGet();
            int status = 200;
            if (path.equals(WORSENING)) {
                double share = Math.min(1, (System.nanoTime() - started) / 300e9);
                long k = worseningProbes.getAndIncrement();
                // Bresenham: of every n probes, round(n * share) fail, spread out rather than in runs.
                status = Math.floor((k + 1) * share) > Math.floor(k * share) ? 503 : 200;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        targets.start();
    }

    private Path writeConfig(Path dir, String name, int port, int adminPort, String sharding, String agent,
                             List<String> names, String trendBackend) throws IOException {
        StringBuilder list = new StringBuilder();
        for (String n : names) {
            list.append("            - { name: %s, type: webhook, url: \"http://127.0.0.1:%d/%s\" }\n"
                    .formatted(n, targets.getAddress().getPort(), n));
        }
        Path config = dir.resolve(name + ".yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: %d } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: %d } ]
                  requestLog: { appenders: [] }
                logging: { level: WARN }
                collection: { interval: 1s, deadline: 500ms, maxAge: 500ms }
                %s
                discovery:
                  sources:
                    - type: static
                      targets:
                %s
                health: { interval: 500ms, timeout: 400ms, window: 20, userAgent: %s }
                trends:
                  dataDir: "%s"
                %s
                """.formatted(port, adminPort, sharding, list, agent, dir.resolve(name + "-trends"), trendBackend));
        return config;
    }

    private Process start(Path dir, String name, Path config) throws Exception {
        // Four JVMs start at once on a small machine: a modest heap, and C1 only, which starts with far less CPU.
        Process p = TallyProcess.startWithOptions(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
                dir.resolve(name + ".out"), dir.resolve(name + ".err"), "server", config.toString());
        processes.add(p);
        return p;
    }

    private double value(String promql) {
        try {
            JsonNode result = prometheus.query(promql).path("result");
            return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").path(1).asText());
        } catch (IOException | InterruptedException e) {
            return Double.NaN;
        }
    }

    private JsonNode json(int port, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException | InterruptedException e) {
            return JSON.createObjectNode();
        }
    }

    private void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
            if (condition.getAsBoolean()) {
                System.out.printf("%.1f s: %s%n", (System.nanoTime() - began) / 1e9, what);
                return;
            }
            Thread.sleep(500);
        }
        assertThat(condition.getAsBoolean()).as(what + " within " + seconds + " s; " + diagnosis()).isTrue();
        System.out.printf("%.1f s: %s%n", (System.nanoTime() - began) / 1e9, what);
    }

    /** What Prometheus saw and what the replicas said, for a failure message. */
    private String diagnosis() {
        StringBuilder out = new StringBuilder();
        try {
            out.append("alive: ").append(processes.stream().map(Process::isAlive).toList()).append("; last trends: ").append(lastTrends).append("; up: ").append(prometheus.query("up").path("result")).append("; targets per job: ")
                    .append(prometheus.query("count by (job, instance) (tally_target_up)").path("result"));
            for (Path err : Files.newDirectoryStream(dir, "*.{err,out}")) {
                String text = Files.readString(err);
                out.append("; ").append(err.getFileName()).append(": ")
                        .append(text.length() > 1500 ? text.substring(text.length() - 1500) : text);
            }
            out.append("; prometheus log: ").append(prometheus.log());
        } catch (Exception e) {
            out.append(e);
        }
        return out.toString();
    }
}
