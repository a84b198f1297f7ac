package io.tally.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.tally.app.testing.Promtool;
import io.tally.app.testing.TallyProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Tally process reading a real Kafka broker (KRaft, started in this JVM): the consumer group's
 * lag shows in {@code /stats/{target}} as the target's queue, and in {@code /metrics}, which
 * passes promtool.
 */
@Timeout(240)
class KafkaStatsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aGroupsLagShowsInStatsAndMetrics(@TempDir Path dir) throws Exception {
        for (String logger : List.of("org.apache.kafka", "kafka", "state.change.logger")) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(logger))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hook.start();
        try (KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1").build()) {
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("jobs", 3, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 9; i++) {
                    producer.send(new ProducerRecord<>("jobs", i % 3, null, "j" + i)).get(30, TimeUnit.SECONDS);
                }
            }
            // Committed 0, 1 and 2 of each partition's 3: lag 3 + 2 + 1 = 6, at most 3 in one partition.
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                    "group.id", "workers"), new StringDeserializer(), new StringDeserializer())) {
                Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
                for (int p = 0; p < 3; p++) {
                    commits.put(new TopicPartition("jobs", p), new OffsetAndMetadata(p));
                }
                consumer.commitSync(commits, Duration.ofSeconds(30));
            }

            int port = TallyProcess.freePort();
            Path config = dir.resolve("tally.yml");
            Files.writeString(config, """
                    server:
                      applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: %d } ]
                      adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                      requestLog: { appenders: [] }
                    collection: { interval: 500ms, deadline: 250ms, maxAge: 250ms }
                    trends: { dataDir: "%s" }
                    logging: { level: WARN }
                    discovery:
                      sources:
                        - type: static
                          targets: [ { name: worker-hook, type: generic, url: "http://127.0.0.1:%d/" } ]
                    health: { interval: 1s, timeout: 500ms }
                    queues:
                      - type: kafka
                        name: kafka
                        uri: "kafka://%s"
                        pollInterval: 500ms
                        window: 3
                        queues: [ { name: "jobs:workers", target: worker-hook } ]
                    """.formatted(port, dir.resolve("trends").toString().replace('\\', '/'),
                    hook.getAddress().getPort(), bootstrap));
            Process tally = TallyProcess.start(List.of(), dir.resolve("out.txt"), dir.resolve("err.txt"), "server",
                    config.toString());
            try {
                JsonNode queue = null;
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < until && tally.isAlive()) {
                    JsonNode queues = JSON.readTree(get(port, "/stats/worker-hook")).path("queues");
                    if (queues.size() == 1 && queues.get(0).path("verdict").asText().equals("stopped")) {
                        queue = queues.get(0);
                        break;
                    }
                    Thread.sleep(250);
                }
                assertThat(queue).as("the group in /stats/worker-hook: %s", Files.readString(dir.resolve("err.txt"))
                        + Files.readString(dir.resolve("out.txt"))).isNotNull();
                assertThat(queue.path("broker").asText()).isEqualTo("kafka");
                assertThat(queue.path("queue").asText()).isEqualTo("jobs:workers");
                assertThat(queue.path("depth").asLong()).isEqualTo(6);
                assertThat(queue.path("consumers").asInt()).isZero();

                String metrics = get(port, "/metrics");
                String labels = "{source=\"kafka\",broker=\"kafka\",queue=\"jobs:workers\",target=\"worker-hook\","
                        + "priority=\"\",role=\"queue\"}";
                assertThat(metrics).contains("tally_queue_lag" + labels + " 6", "tally_queue_max_partition_lag"
                        + labels + " 3", "tally_queue_partitions" + labels + " 3", "tally_queue_consumers" + labels
                        + " 0", "tally_queue_source_connected{source=\"kafka\",broker=\"kafka\"} 1");
                Promtool.Result promtool = Promtool.checkMetrics(metrics);
                assertThat(promtool.exitCode()).as(promtool.output()).isZero();
            } finally {
                tally.destroy();
                tally.waitFor();
            }
        } finally {
            hook.stop(0);
        }
    }

    private static String get(int port, String path) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException notYetListening) {
            return "{}";
        }
    }
}
