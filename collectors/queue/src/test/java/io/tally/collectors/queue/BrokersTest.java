package io.tally.collectors.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.dropwizard.jackson.Jackson;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.RetentionPolicy;
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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the brokers running on this machine (bin/tally test starts any that are not). */
class BrokersTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());
    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void close() throws Exception {
        environment.close();
    }

    private QueueSource source(String yaml) throws Exception {
        QueueFactory factory = YAML.readValue(yaml, QueueFactory.class);
        return factory.buildSource(environment);
    }

    private static QueueStatus queue(QueueSource source, String name) {
        source.pollIfIdle();
        QueueState state = source.state();
        assertThat(state.connected()).as(String.valueOf(state.lastError())).isTrue();
        return state.queues().stream().filter(q -> q.mapping().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void rabbitmqDepthConsumersAndStopped() throws Exception {
        String name = "tally.test." + id;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri("amqp://guest:guest@127.0.0.1:5672");
        try (com.rabbitmq.client.Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(name, false, false, true, Map.of());
            for (int i = 0; i < 5; i++) {
                channel.basicPublish("", name, null, ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            QueueSource source = source("""
                    type: rabbitmq
                    name: rabbit
                    uri: "amqp://guest:guest@127.0.0.1:5672/"
                    window: 3
                    queues:
                      - { name: "%s", target: slack-prod, priority: high, capacity: 10 }
                      - { name: "tally.missing.%s", target: "*" }
                    """.formatted(name, id));

            QueueStatus full = awaitDepth(source, name, 5);
            assertThat(full.reading().consumers()).isZero();
            assertThat(full.verdict()).isEqualTo(QueueVerdict.STOPPED);
            assertThat(full.utilization()).isEqualTo(0.5);
            assertThat(queue(source, "tally.missing." + id).reading().exists()).isFalse();

            GetResponse one = channel.basicGet(name, true);
            GetResponse two = channel.basicGet(name, true);
            assertThat(one).isNotNull();
            assertThat(two).isNotNull();
            String tag = channel.basicConsume(name, false, (t, d) -> { }, t -> { });
            QueueStatus consumed = awaitDepth(source, name, 0);
            assertThat(consumed.reading().consumers()).isEqualTo(1);
            assertThat(consumed.verdict()).isNotEqualTo(QueueVerdict.STOPPED);
            channel.basicCancel(tag);
        }
    }

    /** RabbitMQ counts messages a consumer holds unacked out of the depth; poll until it settles. */
    private static QueueStatus awaitDepth(QueueSource source, String name, long depth) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        QueueStatus status = queue(source, name);
        while (status.reading().depth() != depth && System.nanoTime() < until) {
            Thread.sleep(50);
            status = queue(source, name);
        }
        assertThat(status.reading().depth()).isEqualTo(depth);
        return status;
    }

    @Test
    void redisListsAndStreamsWithGroups() throws Exception {
        String list = "tally:test:list:" + id;
        String stream = "tally:test:stream:" + id;
        RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            for (int i = 0; i < 5; i++) {
                redis.lpush(list, "m" + i);
                redis.xadd(stream, Map.of("n", Integer.toString(i)));
            }
            redis.xgroupCreate(io.lettuce.core.XReadArgs.StreamOffset.from(stream, "0"), "workers");
            QueueSource source = source("""
                    type: redis
                    name: redis
                    uri: "redis://127.0.0.1:6379"
                    queues:
                      - { name: "tally:test:*:%s", target: "*" }
                    exclude: [ "*:nothing:*" ]
                    """.formatted(id));

            assertThat(queue(source, list).reading().depth()).isEqualTo(5);
            assertThat(queue(source, list).reading().consumers()).isNull();
            QueueReading fresh = queue(source, stream).reading();
            assertThat(fresh.depth()).isEqualTo(5);
            assertThat(fresh.lag()).isEqualTo(5);

            List<StreamMessage<String, String>> read = redis.xreadgroup(Consumer.from("workers", "w1"),
                    XReadArgs.Builder.count(2), XReadArgs.StreamOffset.lastConsumed(stream));
            assertThat(read).hasSize(2);
            QueueReading reading = queue(source, stream).reading();
            assertThat(reading.unacked()).isEqualTo(2);
            assertThat(reading.lag()).isEqualTo(3);
            assertThat(reading.depth()).isEqualTo(5);
            assertThat(reading.consumers()).isEqualTo(1);
            redis.xack(stream, "workers", read.get(0).getId(), read.get(1).getId());
            redis.rpop(list);
            assertThat(queue(source, stream).reading().depth()).isEqualTo(3);
            assertThat(queue(source, list).reading().depth()).isEqualTo(4);
            redis.del(list, stream);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void natsStreamsAndConsumers() throws Exception {
        String streamName = "TALLYTEST_" + id.toUpperCase();
        String subject = "tallytest." + id + ".jobs";
        try (io.nats.client.Connection nc = Nats.connect("nats://127.0.0.1:4222")) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name(streamName).subjects(subject)
                    .retentionPolicy(RetentionPolicy.WorkQueue).storageType(StorageType.Memory).build());
            try {
                JetStream js = nc.jetStream();
                for (int i = 0; i < 5; i++) {
                    js.publish(subject, ("m" + i).getBytes(StandardCharsets.UTF_8));
                }
                QueueSource source = source("""
                        type: nats
                        name: nats
                        uri: "nats://127.0.0.1:4222"
                        queues:
                          - { name: "%1$s", target: pagerduty }
                          - { name: "%1$s:workers", target: pagerduty }
                        """.formatted(streamName));

                QueueStatus stream = queue(source, streamName);
                assertThat(stream.reading().depth()).isEqualTo(5);
                assertThat(stream.verdict()).isEqualTo(QueueVerdict.STOPPED);
                assertThat(queue(source, streamName + ":workers").reading().exists()).isFalse();

                JetStreamSubscription sub = js.subscribe(subject, PullSubscribeOptions.builder()
                        .durable("workers").configuration(ConsumerConfiguration.builder().build()).build());
                List<Message> fetched = sub.fetch(2, Duration.ofSeconds(2));
                assertThat(fetched).hasSize(2);
                QueueReading consumer = queue(source, streamName + ":workers").reading();
                assertThat(consumer.unacked()).isEqualTo(2);
                assertThat(consumer.lag()).isEqualTo(3);
                assertThat(consumer.depth()).isEqualTo(5);
                fetched.forEach(Message::ack);
                long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (queue(source, streamName).reading().depth() != 3 && System.nanoTime() < until) {
                    Thread.sleep(50);
                }
                QueueStatus after = queue(source, streamName);
                assertThat(after.reading().depth()).isEqualTo(3);
                assertThat(after.reading().consumers()).isEqualTo(1);
                assertThat(after.verdict()).isNotEqualTo(QueueVerdict.STOPPED);
                sub.unsubscribe();
            } finally {
                jsm.deleteStream(streamName);
            }
        }
    }

    @Test
    void unreachableBrokersAreUnavailableWithoutDisturbingOthersAndRecover() throws Exception {
        try (TcpProxy rabbitProxy = new TcpProxy(5672); TcpProxy redisProxy = new TcpProxy(6379);
             TcpProxy natsProxy = new TcpProxy(4222)) {
            QueueSource rabbit = source(("type: rabbitmq\nname: rabbit\nuri: \"amqp://guest:guest@127.0.0.1:%d/\"\n"
                    + "backoff: 20ms\nmaxBackoff: 100ms\ntimeout: 1s\nqueues: [ { name: tally.nothing } ]\n")
                    .formatted(rabbitProxy.port()));
            QueueSource redis = source(("type: redis\nname: redis\nuri: \"redis://127.0.0.1:%d\"\n"
                    + "backoff: 20ms\nmaxBackoff: 100ms\ntimeout: 1s\nqueues: [ { name: tally:nothing } ]\n")
                    .formatted(redisProxy.port()));
            QueueSource nats = source(("type: nats\nname: nats\nuri: \"nats://127.0.0.1:%d\"\n"
                    + "backoff: 20ms\nmaxBackoff: 100ms\ntimeout: 1s\nqueues: [ { name: NOTHING } ]\n")
                    .formatted(natsProxy.port()));
            QueueSource secretive = source("""
                    type: redis
                    name: closed
                    uri: "redis://:SECRETPW@127.0.0.1:1"
                    timeout: 500ms
                    queues: [ { name: x } ]
                    """);
            List<QueueSource> sources = List.of(rabbit, redis, nats, secretive);
            List<Collector> collectors = sources.stream()
                    .map(s -> (Collector) new QueueCollector(s, environment.targets())).toList();
            try (CollectorRegistry registry = new CollectorRegistry(collectors, Duration.ofSeconds(1),
                    environment.clock())) {
                sources.forEach(QueueSource::pollIfIdle);
                Snapshot up = registry.collect();
                for (String name : List.of("rabbit", "redis", "nats")) {
                    assertThat(up.outcome(name).status()).as(name).isEqualTo(OutcomeStatus.OK);
                    assertThat(connected(up, name)).isEqualTo(1);
                }
                assertThat(up.outcome("closed").status()).isEqualTo(OutcomeStatus.UNAVAILABLE);
                assertThat(connected(up, "closed")).isEqualTo(0);
                assertThat(secretive.state().lastError()).startsWith("connect:").doesNotContain("SECRETPW");

                rabbitProxy.cut();
                redisProxy.cut();
                natsProxy.cut();
                Thread.sleep(200);
                sources.forEach(QueueSource::pollIfIdle);
                Snapshot down = registry.collect();
                for (String name : List.of("rabbit", "redis", "nats")) {
                    assertThat(down.outcome(name).status()).as(name).isEqualTo(OutcomeStatus.UNAVAILABLE);
                    assertThat(connected(down, name)).as(name).isEqualTo(0);
                    assertThat(value(down, "tally_queue_depth", name)).as(name + " depth while down").isNaN();
                }
                assertThat(down.outcome("closed").status()).isEqualTo(OutcomeStatus.UNAVAILABLE);

                rabbitProxy.restore();
                redisProxy.restore();
                natsProxy.restore();
                long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                Snapshot back = registry.collect();
                while (System.nanoTime() < until && List.of("rabbit", "redis", "nats").stream()
                        .anyMatch(n -> connected(registry.latest(), n) != 1)) {
                    sources.forEach(QueueSource::pollIfIdle);
                    back = registry.collect();
                    Thread.sleep(50);
                }
                for (String name : List.of("rabbit", "redis", "nats")) {
                    assertThat(back.outcome(name).status()).as(name).isEqualTo(OutcomeStatus.OK);
                    assertThat(value(back, "tally_queue_source_reconnect_attempts", name)).as(name).isGreaterThanOrEqualTo(1);
                    assertThat(value(back, "tally_queue_depth", name)).isEqualTo(0);
                }
                for (MetricFamily family : back.families()) {
                    for (Sample sample : family.samples()) {
                        assertThat(sample.labelValues().toString()).doesNotContain("guest:guest").doesNotContain("SECRETPW");
                    }
                }
            }
        }
    }

    private static double connected(Snapshot snapshot, String source) {
        return value(snapshot, "tally_queue_source_connected", source);
    }

    private static double value(Snapshot snapshot, String family, String source) {
        MetricFamily f = snapshot.family(family);
        if (f == null) {
            return Double.NaN;
        }
        return f.samples().stream().filter(s -> s.labelValues().get(0).equals(source)).findFirst()
                .map(Sample::value).orElse(Double.NaN);
    }
}
