package io.tally.app.sharding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.tally.app.TallyApplication;
import io.tally.app.config.TallyConfiguration;
import io.tally.app.testing.Promtool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One replica, shard 1 of 3, over twelve loopback targets that count their probes, with a Redis
 * queue configured that only shard 0 may read: it probes, lists and exports exactly the targets the
 * rendezvous hash gives it, says which shard it is, and sends callers to the owner of any other.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ShardingApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NAMES = IntStream.range(0, 12).mapToObj(i -> "t" + i).toList();
    private static final Map<String, AtomicInteger> PROBES = new ConcurrentHashMap<>();
    private static final HttpServer TARGETS;
    private static final DropwizardAppExtension<TallyConfiguration> APP;

    static {
        try {
            TARGETS = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TARGETS.createContext("/", exchange -> {
                PROBES.computeIfAbsent(exchange.getRequestURI().getPath().substring(1), k -> new AtomicInteger())
                        .incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            TARGETS.start();
            Path dir = Files.createTempDirectory("tally-shard");
            StringBuilder targets = new StringBuilder();
            for (String name : NAMES) {
                targets.append("            - { name: %s, type: webhook, url: \"http://127.0.0.1:%d/%s\" }\n"
                        .formatted(name, TARGETS.getAddress().getPort(), name));
            }
            Path config = dir.resolve("config.yml");
            Files.writeString(config, """
                    server:
                      applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                      adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                      requestLog: { appenders: [] }
                    logging: { level: WARN }
                    collection: { interval: 200ms, deadline: 100ms, maxAge: 0s }
                    sharding: { shard: auto, hostname: tally-1.tally.monitoring.svc, shards: 3, singletons: [0] }
                    discovery:
                      sources:
                        - type: static
                          targets:
                    %s
                    health: { interval: 300ms, timeout: 250ms }
                    queues:
                      - type: redis
                        name: redis
                        uri: "redis://127.0.0.1:6379"
                        queues: [ { name: "tally:shardtest", target: "*" } ]
                    trends: { dataDir: "%s" }
                    """.formatted(targets, dir.resolve("trends")));
            APP = new DropwizardAppExtension<>(TallyApplication.class, config.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void stopTargets() {
        TARGETS.stop(0);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> owned() {
        return NAMES.stream().filter(n -> Rendezvous.owner(n, 3) == 1).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void probesListsAndExportsOnlyItsOwnTargets() throws Exception {
        Set<String> mine = owned();
        assertThat(mine).isNotEmpty().hasSizeLessThan(NAMES.size());
        long until = System.nanoTime() + 30_000_000_000L;
        JsonNode stats = null;
        while (System.nanoTime() < until) {
            stats = JSON.readTree(get("/stats?limit=100").body());
            boolean allProbed = mine.stream().allMatch(n -> PROBES.getOrDefault(n, new AtomicInteger()).get() >= 2);
            if (allProbed && stats.path("targets").path("by_status").path("healthy").asInt() == mine.size()) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(stats.path("shard").path("index").asInt()).isEqualTo(1);
        assertThat(stats.path("shard").path("of").asInt()).isEqualTo(3);
        assertThat(stats.path("shard").path("targets_owned").asInt()).isEqualTo(mine.size());
        List<String> listed = new ArrayList<>();
        stats.path("items").forEach(i -> listed.add(i.path("name").asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(mine);
        assertThat(stats.path("targets").path("by_status").path("healthy").asInt()).isEqualTo(mine.size());
        // Only shard 0 reads the queue: no redis collector here, so nothing is counted twice in a sum().
        List<String> collectors = new ArrayList<>();
        stats.path("collectors").forEach(c -> collectors.add(c.path("name").asText()));
        assertThat(collectors).contains("discovery", "health").doesNotContain("redis");
        assertThat(stats.path("queues").path("reason").asText())
                .isEqualTo("queues are read by shard 0 (sharding.singletons); this is shard 1");
        assertThat(stats.path("publishing").path("reason").asText())
                .isEqualTo("publishers are read by shard 0 (sharding.singletons); this is shard 1");

        assertThat(PROBES.keySet()).as("paths probed").isEqualTo(mine);

        String metrics = get("/metrics").body();
        assertThat(metrics).contains("tally_shard_info{shard=\"1\",shards=\"3\",} 1.0")
                .contains("tally_shard_targets_owned " + (double) mine.size())
                .contains("tally_shard_singleton 0.0")
                .doesNotContain("tally_queue_");
        for (String name : NAMES) {
            assertThat(metrics.contains("tally_target_up{target=\"" + name + "\""))
                    .as("tally_target_up of %s", name).isEqualTo(mine.contains(name));
        }
        Promtool.Result check = Promtool.checkMetrics(metrics);
        assertThat(check.exitCode()).as(check.output()).isZero();
    }

    @Test
    void anotherShardsTargetIsA404NamingItsShard() throws Exception {
        String theirs = NAMES.stream().filter(n -> Rendezvous.owner(n, 3) == 2).findFirst().orElseThrow();
        String mine = owned().iterator().next();
        long until = System.nanoTime() + 30_000_000_000L;
        while (get("/stats/" + mine).statusCode() != 200 && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(get("/stats/" + mine).statusCode()).isEqualTo(200);

        HttpResponse<String> elsewhere = get("/stats/" + theirs);
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(elsewhere.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        JsonNode error = JSON.readTree(elsewhere.body()).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(404);
        assertThat(error.path("message").asText()).isEqualTo("target '" + theirs + "' is owned by shard 2 of 3; "
                + "this is shard 1");

        HttpResponse<String> trend = get("/trends?target=" + theirs);
        assertThat(trend.statusCode()).isEqualTo(404);
        assertThat(trend.body()).contains("owned by shard 2 of 3");

        HttpResponse<String> unknown = get("/stats/no-such-target");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).doesNotContain("shard");
    }
}
