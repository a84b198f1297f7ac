package io.tally.collectors.queue;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker in KRaft mode (one combined broker and controller node, Kafka's own
 * KafkaClusterTestKit) on loopback, in this JVM, behind a {@link TcpProxy}: the broker advertises
 * the proxy's port, so every client, Tally's included, reaches it through the proxy, and cutting
 * the proxy cuts Kafka off as a network failure would. Started once per test class, within a bound.
 */
final class KafkaBroker implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final TcpProxy proxy;
    private final KafkaClusterTestKit cluster;

    private KafkaBroker(TcpProxy proxy, KafkaClusterTestKit cluster) {
        this.proxy = proxy;
        this.cluster = cluster;
    }

    static KafkaBroker start() throws Exception {
        TcpProxy proxy = new TcpProxy(0);
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("advertised.listeners", "EXTERNAL://127.0.0.1:" + proxy.port())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .build();
        ExecutorService starter = Executors.newSingleThreadExecutor();
        try {
            Future<?> started = starter.submit(() -> {
                cluster.format();
                cluster.startup();
                String bootstrap = cluster.bootstrapServers();
                proxy.forwardTo(Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1)));
                cluster.waitForReadyBrokers();
                return null;
            });
            started.get(STARTUP.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            cluster.close();
            proxy.close();
            throw e;
        } finally {
            starter.shutdownNow();
        }
        return new KafkaBroker(proxy, cluster);
    }

    TcpProxy proxy() {
        return proxy;
    }

    /** Through the proxy, as every client connects. */
    String bootstrap() {
        return "127.0.0.1:" + proxy.port();
    }

    Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", bootstrap(), "request.timeout.ms", 10_000,
                "default.api.timeout.ms", 20_000));
    }

    void createTopic(String topic, int partitions) throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** {@code perPartition} messages into every partition of {@code topic}. */
    void produce(String topic, int partitions, int perPartition) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int p = 0; p < partitions; p++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, p, null, "m" + i)).get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** A consumer of {@code group} that commits only when told to. */
    KafkaConsumer<String, String> consumer(String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"),
                new StringDeserializer(), new StringDeserializer());
    }

    /** Polls until {@code count} records arrived (or the deadline passed), then commits them. */
    static int consume(KafkaConsumer<String, String> consumer, int count, Duration within) {
        long end = System.nanoTime() + within.toNanos();
        int seen = 0;
        while (seen < count && System.nanoTime() < end) {
            seen += consumer.poll(Duration.ofMillis(200)).count();
        }
        consumer.commitSync(Duration.ofSeconds(30));
        return seen;
    }

    @Override
    public void close() throws Exception {
        try {
            cluster.close();
        } finally {
            proxy.close();
        }
    }
}
