package io.tally.collectors.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import io.dropwizard.jackson.Jackson;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.OutcomeStatus;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.StandaloneEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real faults against real brokers, with the sources on their own schedule as in the service: a
 * connection cut and restored through the loopback proxy (shared brokers, one source cut at a
 * time), and a private broker killed and started again on the same port. Each prints a FAULT line:
 * what Tally showed, and how long detection and recovery took.
 */
@Timeout(180)
class BrokerFaultsTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofMillis(500);
    /** The next poll starts within one interval and fails within the broker timeout; 1 s for a busy machine. */
    private static final Duration DETECTION_BOUND = POLL.plus(TIMEOUT).plusSeconds(1);
    /** The longest backoff (+20 % jitter), then a poll that connects. */
    private static final Duration RECOVERY_BOUND = MAX_BACKOFF.multipliedBy(2).plus(POLL).plus(TIMEOUT).plusSeconds(1);
    private static final List<String> BROKERS = List.of("rabbitmq", "redis", "nats");

    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        environment.close();
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private QueueSource scheduled(String broker, String name, String uri, String queue) throws Exception {
        QueueSource source = YAML.readValue("""
                type: %s
                name: %s
                uri: "%s"
                pollInterval: %dms
                timeout: %dms
                backoff: 100ms
                maxBackoff: %dms
                queues: [ { name: "%s", target: "*" } ]
                """.formatted(broker, name, uri, POLL.toMillis(), TIMEOUT.toMillis(), MAX_BACKOFF.toMillis(), queue),
                QueueFactory.class).buildSource(environment);
        environment.manage(source);
        return source;
    }

    /**
     * {@code cut}: every connection and the listening port closed, as a broker that went away.
     * {@code stall}: connections open but no byte forwarded, as a broker that hangs.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"rabbitmq, cut", "redis, cut", "nats, cut", "rabbitmq, stall", "redis, stall", "nats, stall"})
    void aBrokerLostIsUnavailableWithinOnePollTheOthersAreUntouchedAndItReconnects(String cut, String fault)
            throws Exception {
        Map<String, TcpProxy> proxies = new LinkedHashMap<>();
        Map<String, QueueSource> sources = new LinkedHashMap<>();
        for (String broker : BROKERS) {
            TcpProxy proxy = new TcpProxy(switch (broker) {
                case "rabbitmq" -> 5672;
                case "redis" -> 6379;
                default -> 4222;
            });
            cleanup.add(proxy);
            proxies.put(broker, proxy);
            String queue = fill(broker, 3);
            String uri = switch (broker) {
                case "rabbitmq" -> "amqp://guest:guest@127.0.0.1:" + proxy.port() + "/";
                case "redis" -> "redis://127.0.0.1:" + proxy.port();
                default -> "nats://127.0.0.1:" + proxy.port();
            };
            sources.put(broker, scheduled(broker, broker, uri, queue));
        }
        List<Collector> collectors = sources.values().stream()
                .map(s -> (Collector) new QueueCollector(s, environment.targets())).toList();
        environment.start();
        try (CollectorRegistry registry = new CollectorRegistry(collectors, Duration.ofSeconds(1), environment.clock())) {
            Snapshot before = awaitSnapshot(registry, s -> BROKERS.stream().allMatch(b -> up(s, b, 3)),
                    Duration.ofSeconds(10), "every source connected with depth 3");

            if (fault.equals("cut")) {
                proxies.get(cut).cut();
            } else {
                proxies.get(cut).stall();
            }
            long cutAt = System.nanoTime();
            Snapshot down = awaitSnapshot(registry, s -> s.outcome(cut).status() == OutcomeStatus.UNAVAILABLE
                    && value(s, QueueMetrics.CONNECTED.name(), cut) == 0, DETECTION_BOUND, cut + " unavailable");
            double detected = (System.nanoTime() - cutAt) / 1e9;
            QueueState state = sources.get(cut).state();
            assertThat(state.lastError()).as("the reason")
                    .matches(fault.equals("cut") ? "(connect|io): .+" : "timeout: .+")
                    .doesNotContain("guest:guest");
            assertThat(value(down, QueueMetrics.DEPTH.name(), cut)).as("no depth while down").isNaN();
            Snapshot counted = awaitSnapshot(registry, s -> value(s, QueueMetrics.RECONNECTS.name(), cut) >= 1,
                    RECOVERY_BOUND, "reconnect attempts counted");
            assertThat(counted.outcome(cut).status()).isEqualTo(OutcomeStatus.UNAVAILABLE);
            // The reason reaches the outcome, so /stats says why, not only that.
            assertThat(counted.outcome(cut).error()).startsWith("source unavailable: ")
                    .matches("source unavailable: (connect|io|timeout): .+").doesNotContain("guest:guest");
            for (String other : BROKERS) {
                if (!other.equals(cut)) {
                    assertThat(counted.outcome(other).status()).as(other).isEqualTo(OutcomeStatus.OK);
                    assertThat(figures(counted, other)).as(other + "'s figures").isEqualTo(figures(before, other));
                }
            }

            if (fault.equals("cut")) {
                proxies.get(cut).restore();
            } else {
                proxies.get(cut).resume();
            }
            long restoredAt = System.nanoTime();
            awaitSnapshot(registry, s -> up(s, cut, 3), RECOVERY_BOUND, cut + " back with depth 3");
            double recovered = (System.nanoTime() - restoredAt) / 1e9;
            System.out.printf("FAULT| %s %s | collector unavailable,"
                            + " tally_queue_source_connected 0, poll_errors{kind=%s}, reason \"%s\", reconnect attempts"
                            + " counted; other queue sources unchanged | detected in %.2f s | recovered in %.2f s%n",
                    cut, fault.equals("cut") ? "connection cut (loopback proxy closed), then restored"
                            : "hangs (proxy holds every byte), then answers again", state.lastError().substring(0, state.lastError().indexOf(':')), abbreviate(state.lastError()),
                    detected, recovered);
        }
    }

    @Test
    void aPrivateRedisKilledAndRestartedOnItsPortIsDetectedAndRecovered(@TempDir Path dir) throws Exception {
        PrivateBroker redis = PrivateBroker.redis(dir);
        cleanup.add(redis);
        redis.start();
        String key = "tally:restart:" + id;
        push(redis.port(), key, 2);
        QueueSource source = scheduled("redis", "private-redis", "redis://127.0.0.1:" + redis.port(), key);
        environment.start();
        try (CollectorRegistry registry = new CollectorRegistry(List.of(new QueueCollector(source,
                environment.targets())), Duration.ofSeconds(1), environment.clock())) {
            awaitSnapshot(registry, s -> up(s, "private-redis", 2), Duration.ofSeconds(10), "connected, depth 2");

            redis.kill();
            long killedAt = System.nanoTime();
            awaitSnapshot(registry, s -> s.outcome("private-redis").status() == OutcomeStatus.UNAVAILABLE
                    && value(s, QueueMetrics.CONNECTED.name(), "private-redis") == 0, DETECTION_BOUND, "unavailable");
            double detected = (System.nanoTime() - killedAt) / 1e9;
            String reason = source.state().lastError();
            assertThat(reason).matches("(connect|io|timeout): .+");

            redis.start();
            long restartedAt = System.nanoTime();
            // Started without persistence: the list is gone, and Tally says so rather than keeping 2.
            Snapshot back = awaitSnapshot(registry, s -> s.outcome("private-redis").status() == OutcomeStatus.OK
                    && value(s, QueueMetrics.CONNECTED.name(), "private-redis") == 1, RECOVERY_BOUND, "reconnected");
            double recovered = (System.nanoTime() - restartedAt) / 1e9;
            assertThat(value(back, QueueMetrics.EXISTS.name(), "private-redis")).isEqualTo(0);
            assertThat(value(back, QueueMetrics.DEPTH.name(), "private-redis")).isEqualTo(0);
            assertThat(value(back, QueueMetrics.RECONNECTS.name(), "private-redis")).isGreaterThanOrEqualTo(1);
            System.out.printf("FAULT| redis-server killed (SIGKILL) and restarted on its port | collector unavailable,"
                            + " tally_queue_source_connected 0, reason \"%s\"; after restart tally_queue_exists 0 (no"
                            + " persistence: the list is gone) | detected in %.2f s | recovered in %.2f s%n",
                    abbreviate(reason), detected, recovered);
        }
    }

    @Test
    void aPrivateNatsKilledAndRestartedOnItsPortIsDetectedAndRecoveredWithItsStream(@TempDir Path dir)
            throws Exception {
        PrivateBroker nats = PrivateBroker.nats(dir);
        cleanup.add(nats);
        nats.start();
        String stream = "TALLYRESTART_" + id.toUpperCase();
        try (io.nats.client.Connection nc = Nats.connect("nats://127.0.0.1:" + nats.port())) {
            nc.jetStreamManagement().addStream(StreamConfiguration.builder().name(stream)
                    .subjects("tallyrestart." + id).storageType(StorageType.File).build());
            for (int i = 0; i < 2; i++) {
                nc.jetStream().publish("tallyrestart." + id, ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        QueueSource source = scheduled("nats", "private-nats", "nats://127.0.0.1:" + nats.port(), stream);
        environment.start();
        try (CollectorRegistry registry = new CollectorRegistry(List.of(new QueueCollector(source,
                environment.targets())), Duration.ofSeconds(1), environment.clock())) {
            awaitSnapshot(registry, s -> up(s, "private-nats", 2), Duration.ofSeconds(10), "connected, depth 2");

            nats.kill();
            long killedAt = System.nanoTime();
            awaitSnapshot(registry, s -> s.outcome("private-nats").status() == OutcomeStatus.UNAVAILABLE
                    && value(s, QueueMetrics.CONNECTED.name(), "private-nats") == 0, DETECTION_BOUND, "unavailable");
            double detected = (System.nanoTime() - killedAt) / 1e9;
            String reason = source.state().lastError();
            assertThat(reason).matches("(connect|io|timeout): .+");

            nats.start();
            long restartedAt = System.nanoTime();
            // JetStream's file store brings the stream back: the same depth again.
            Snapshot back = awaitSnapshot(registry, s -> up(s, "private-nats", 2), Duration.ofSeconds(15),
                    "reconnected with depth 2");
            double recovered = (System.nanoTime() - restartedAt) / 1e9;
            assertThat(value(back, QueueMetrics.RECONNECTS.name(), "private-nats")).isGreaterThanOrEqualTo(1);
            System.out.printf("FAULT| nats-server (JetStream, file store) killed (SIGKILL) and restarted on its port |"
                            + " collector unavailable, tally_queue_source_connected 0, reason \"%s\"; after restart"
                            + " the stream's depth again | detected in %.2f s | recovered in %.2f s%n",
                    abbreviate(reason), detected, recovered);
        }
    }

    /** A fresh queue holding {@code messages} messages on the shared broker; removed after the test. */
    private String fill(String broker, int messages) throws Exception {
        switch (broker) {
            case "rabbitmq" -> {
                String queue = "tally.fault." + id;
                ConnectionFactory factory = new ConnectionFactory();
                factory.setUri("amqp://guest:guest@127.0.0.1:5672");
                com.rabbitmq.client.Connection connection = factory.newConnection();
                Channel channel = connection.createChannel();
                channel.queueDeclare(queue, false, false, false, Map.of());
                for (int i = 0; i < messages; i++) {
                    channel.basicPublish("", queue, null, ("m" + i).getBytes(StandardCharsets.UTF_8));
                }
                cleanup.add(() -> {
                    channel.queueDelete(queue);
                    connection.close();
                });
                return queue;
            }
            case "redis" -> {
                String key = "tally:fault:" + id;
                push(6379, key, messages);
                cleanup.add(() -> {
                    RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
                    try (StatefulRedisConnection<String, String> c = client.connect()) {
                        c.sync().del(key);
                    } finally {
                        client.shutdown();
                    }
                });
                return key;
            }
            default -> {
                String stream = "TALLYFAULT_" + id.toUpperCase();
                io.nats.client.Connection nc = Nats.connect("nats://127.0.0.1:4222");
                JetStreamManagement jsm = nc.jetStreamManagement();
                jsm.addStream(StreamConfiguration.builder().name(stream).subjects("tallyfault." + id)
                        .storageType(StorageType.Memory).build());
                for (int i = 0; i < messages; i++) {
                    nc.jetStream().publish("tallyfault." + id, ("m" + i).getBytes(StandardCharsets.UTF_8));
                }
                cleanup.add(() -> {
                    jsm.deleteStream(stream);
                    nc.close();
                });
                return stream;
            }
        }
    }

    private static void push(int port, String key, int messages) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            for (int i = 0; i < messages; i++) {
                c.sync().lpush(key, "m" + i);
            }
        } finally {
            client.shutdown();
        }
    }

    private static boolean up(Snapshot s, String source, double depth) {
        return s.outcome(source).status() == OutcomeStatus.OK && value(s, QueueMetrics.CONNECTED.name(), source) == 1
                && value(s, QueueMetrics.DEPTH.name(), source) == depth;
    }

    /** Collects until the condition holds or the bound passes; fails with the last outcome otherwise. */
    private static Snapshot awaitSnapshot(CollectorRegistry registry, Predicate<Snapshot> condition, Duration bound,
                                          String what) throws InterruptedException {
        long until = System.nanoTime() + bound.toNanos();
        Snapshot snapshot = registry.collect();
        while (!condition.test(snapshot) && System.nanoTime() < until) {
            Thread.sleep(10);
            snapshot = registry.collect();
        }
        assertThat(condition.test(snapshot)).as(what + " within " + bound.toMillis() + " ms; outcomes "
                + snapshot.outcomes()).isTrue();
        return snapshot;
    }

    /** What a source shows that must not move while another source's broker is away. */
    private static Map<String, Double> figures(Snapshot snapshot, String source) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String family : List.of(QueueMetrics.DEPTH.name(), QueueMetrics.EXISTS.name(),
                QueueMetrics.CONSUMERS.name(), QueueMetrics.CONNECTED.name(), QueueMetrics.RECONNECTS.name(),
                QueueMetrics.POLL_ERRORS.name())) {
            MetricFamily f = snapshot.family(family);
            if (f != null) {
                for (Sample s : f.samples()) {
                    if (s.labelValues().get(0).equals(source)) {
                        out.put(family + s.labelValues(), s.value());
                    }
                }
            }
        }
        return out;
    }

    private static double value(Snapshot snapshot, String family, String source) {
        MetricFamily f = snapshot.family(family);
        if (f == null) {
            return Double.NaN;
        }
        return f.samples().stream().filter(s -> s.labelValues().get(0).equals(source)).findFirst()
                .map(Sample::value).orElse(Double.NaN);
    }

    private static String abbreviate(String text) {
        return text.length() > 90 ? text.substring(0, 90) + "..." : text;
    }
}
