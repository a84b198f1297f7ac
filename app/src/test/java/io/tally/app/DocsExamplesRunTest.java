package io.tally.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.sun.net.httpserver.HttpServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.tally.app.testing.AlertmanagerProcess;
import io.tally.app.testing.MockApiProcess;
import io.tally.app.testing.Promtool;
import io.tally.app.testing.TallyProcess;
import io.tally.collectors.discovery.TinyDnsServer;
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
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the example of every page in docs/collectors, as written, in a Tally of its own against real
 * parts on loopback, and checks what it serves: the page's own series, every collector's outcome,
 * and {@code promtool check metrics}. Parsing an example is not enough (the two-publisher example
 * once parsed and emptied /metrics). The only edits made to an example are addresses (the real part
 * listens on a free port) and, where a page shows production intervals of 30 s, shorter ones.
 */
@Timeout(600)
class DocsExamplesRunTest {
    private static final Path DOCS = Path.of("..", "docs", "collectors");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** What one page's example needs around it, and what it must serve. */
    private interface Scenario {
        Run prepare(Path dir, String example, List<AutoCloseable> parts) throws Exception;
    }

    /**
     * @param example the example with its addresses pointed at the real parts
     * @param extra   more configuration the example leaves to other pages (targets to probe)
     * @param ready   when what /metrics serves shows the example working
     * @param allowed collectors whose outcome may be other than ok, with the statuses allowed
     */
    private record Run(String example, String extra, Predicate<String> ready, List<String> expected,
                       Map<String, Set<String>> allowed, StatsCheck stats, Feed feed) {
        Run(String example, String extra, Predicate<String> ready, List<String> expected,
            Map<String, Set<String>> allowed) {
            this(example, extra, ready, expected, allowed, (json, body) -> { }, null);
        }

        Run(String example, String extra, Predicate<String> ready, List<String> expected,
            Map<String, Set<String>> allowed, StatsCheck stats) {
            this(example, extra, ready, expected, allowed, stats, null);
        }

        Run(String example, String extra, Predicate<String> ready, List<String> expected,
            Map<String, Set<String>> allowed, Feed feed) {
            this(example, extra, ready, expected, allowed, (json, body) -> { }, feed);
        }

        Run(String example, String extra, List<String> expected) {
            this(example, extra, m -> expected.stream().allMatch(m::contains), expected, Map.of());
        }
    }

    /** What a page's /stats must show besides every collector ok; given the parsed and the raw body. */
    private interface StatsCheck {
        void check(JsonNode stats, String body) throws Exception;
    }

    /** What a page's example does to the running Tally (pushes events); true once done. */
    private interface Feed {
        boolean feed(int port) throws Exception;
    }

    private static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("static.md", (dir, example, parts) -> {
            HttpServer slack = server(parts, "/services/", 200, "ok");
            HttpServer pagerduty = server(parts, "/v2/enqueue", 405, "");
            String yaml = example.replace("https://hooks.slack.com/services/T000/B000/XXXX",
                            "http://127.0.0.1:" + slack.getAddress().getPort() + "/services/T000/B000/XXXX")
                    .replace("https://events.pagerduty.com/v2/enqueue",
                            "http://127.0.0.1:" + pagerduty.getAddress().getPort() + "/v2/enqueue");
            return new Run(yaml, "health: { interval: 1s, timeout: 500ms }\n", List.of(
                    "tally_target_up{target=\"slack-prod\",type=\"slack\"} 1",
                    "tally_target_up{target=\"pagerduty\",type=\"pagerduty\"} 1",
                    "tally_target_up{target=\"redis\",type=\"generic\"} 1",
                    "tally_discovery_targets{type=\"slack\",enabled=\"true\",source=\"static\"} 1"));
        });
        SCENARIOS.put("file.md", (dir, example, parts) -> {
            HttpServer hook = server(parts, "/", 200, "ok");
            String url = "http://127.0.0.1:" + hook.getAddress().getPort();
            Path targets = Files.createDirectories(dir.resolve("targets.d"));
            Files.writeString(targets.resolve("team.yml"), """
                    - { name: team-hook, url: "%s/hook", labels: { team: sre } }
                    - targets: [ "127.0.0.1:%d" ]
                      labels: { name: sd-hook }
                    """.formatted(url, hook.getAddress().getPort()));
            Files.writeString(targets.resolve("more.json"), """
                    [ { "name": "json-hook", "type": "slack", "url": "%s/json" } ]
                    """.formatted(url));
            String yaml = example.replace("targets.d/", targets.toString().replace('\\', '/') + "/");
            return new Run(yaml, "health: { interval: 1s, timeout: 500ms }\n", List.of(
                    // defaultType is for file_sd groups without a type label; Tally entries default to generic.
                    "tally_target_up{target=\"team-hook\",type=\"generic\"} 1",
                    "tally_target_up{target=\"sd-hook\",type=\"webhook\"} 1",
                    "tally_target_up{target=\"json-hook\",type=\"slack\"} 1"));
        });
        SCENARIOS.put("http.md", (dir, example, parts) -> {
            HttpServer hook = server(parts, "/", 200, "ok");
            AtomicReference<String> authorization = new AtomicReference<>();
            HttpServer registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            registry.createContext("/targets", exchange -> {
                authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
                byte[] body = """
                        [ { "targets": [ "127.0.0.1:%d" ], "labels": { "name": "from-registry", "type": "webhook" } } ]
                        """.formatted(hook.getAddress().getPort()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            registry.start();
            parts.add(() -> registry.stop(0));
            String yaml = example.replace("127.0.0.1:9000", "127.0.0.1:" + registry.getAddress().getPort());
            List<String> expected = List.of("tally_discovery_targets{type=\"webhook\",enabled=\"true\",source=\"registry\"} 1",
                    "tally_target_up{target=\"from-registry\",type=\"webhook\"} 1");
            return new Run(yaml, "health: { interval: 1s, timeout: 500ms }\n",
                    m -> expected.stream().allMatch(m::contains) && "Bearer none".equals(authorization.get()),
                    expected, Map.of());
        });
        SCENARIOS.put("dns.md", (dir, example, parts) -> {
            HttpServer am = server(parts, "/-/healthy", 200, "ok");
            TinyDnsServer dns = new TinyDnsServer();
            parts.add(dns);
            dns.a("alertmanager.example.internal", List.of("127.0.0.1"));
            // The SRV source asks the machine's resolver, which has no example.internal: its failure
            // must show, and must not take the other source's targets with it.
            String yaml = example.replace("port: 9093", "port: " + am.getAddress().getPort())
                    .replace("127.0.0.1:53", "127.0.0.1:" + dns.port());
            String target = "127.0.0.1:" + am.getAddress().getPort();
            List<String> expected = List.of(
                    "tally_target_up{target=\"" + target + "\",type=\"alertmanager\"} 1",
                    "tally_discovery_targets{type=\"alertmanager\",enabled=\"true\",source=\"alertmanagers\"} 1",
                    "tally_discovery_errors_total{source=\"dns\",kind=\"dns\"}");
            return new Run(yaml, "health: { interval: 1s, timeout: 500ms }\n",
                    m -> expected.stream().allMatch(m::contains), expected, Map.of());
        });
        SCENARIOS.put("kubernetes.md", (dir, example, parts) -> {
            HttpServer hook = server(parts, "/", 200, "ok");
            String url = "http://127.0.0.1:" + hook.getAddress().getPort() + "/services/T0/B0/K8SSECRETPATH";
            MockApiProcess api = new MockApiProcess(dir, "payments");
            parts.add(api);
            api.send("secret payments payments-hook url=" + url + " type=slack labels.team=payments");
            api.send("secret alerts alerts-hook url=" + url + " probe.timeout=2s");
            api.send("secret payments broken url=ftp://files.example.test/K8SSECRETPATH");
            String yaml = example.replace("/etc/tally/kubeconfig", api.kubeconfig().toString().replace('\\', '/'));
            List<String> first = List.of(
                    "tally_target_up{target=\"payments-hook\",type=\"slack\"} 1",
                    "tally_target_up{target=\"alerts-hook\",type=\"webhook\"} 1",
                    "tally_discovery_secrets{source=\"k8s\",kind=\"secret\",status=\"valid\"} 2",
                    "tally_discovery_secrets{source=\"k8s\",kind=\"secret\",status=\"invalid\"} 1",
                    "tally_discovery_invalid_targets{source=\"k8s\",reason=\"invalid_url\"} 1");
            List<String> after = List.of("tally_target_up{target=\"late-hook\",type=\"webhook\"} 1",
                    "tally_discovery_secrets{source=\"k8s\",kind=\"secret\",status=\"valid\"} 3");
            java.util.concurrent.atomic.AtomicBoolean created = new java.util.concurrent.atomic.AtomicBoolean();
            // Once the first Secrets serve, one more is created: the watch brings it, no refresh is due.
            Predicate<String> ready = m -> {
                if (!created.get()) {
                    if (!first.stream().allMatch(m::contains)) {
                        return false;
                    }
                    created.set(true);
                    try {
                        api.send("secret alerts late-hook url=" + url);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return after.stream().allMatch(m::contains) && !m.contains("K8SSECRETPATH");
            };
            List<String> expected = new ArrayList<>(first.stream().filter(m -> !m.contains("valid\"} 2")).toList());
            expected.addAll(after);
            return new Run(yaml, "health: { interval: 1s, timeout: 500ms }\n", ready, expected, Map.of(),
                    (stats, body) -> {
                        assertThat(body).doesNotContain("K8SSECRETPATH");
                        // Nor in Tally's log, which has seen a refused URL and the client's requests.
                        assertThat(Files.readString(dir.resolve("out.txt")) + Files.readString(dir.resolve("err.txt")))
                                .doesNotContain("K8SSECRETPATH").doesNotContain("kube-token");
                        List<String> names = new ArrayList<>();
                        stats.path("items").forEach(item -> names.add(item.path("name").asText()));
                        assertThat(names).contains("payments-hook", "alerts-hook", "late-hook");
                        assertThat(stats.path("targets").path("invalid_entries").toString())
                                .contains("Secret payments/broken").contains("invalid_url");
                    });
        });
        SCENARIOS.put("health.md", (dir, example, parts) -> {
            HttpServer accepted = server(parts, "/", 202, "");
            HttpServer teapot = server(parts, "/", 418, "");
            String yaml = example.replace("interval: 30s", "interval: 1s").replace("timeout: 5s", "timeout: 500ms");
            String extra = """
                    discovery:
                      sources:
                        - type: static
                          targets:
                            - { name: accepts, type: webhook, url: "http://127.0.0.1:%d/" }
                            - { name: teapot, type: webhook, url: "http://127.0.0.1:%d/" }
                            - { name: metadata, type: webhook, url: "http://169.254.169.254/latest/" }
                    """.formatted(accepted.getAddress().getPort(), teapot.getAddress().getPort());
            return new Run(yaml, extra, List.of(
                    "tally_target_health_status{target=\"accepts\",type=\"webhook\",status=\"healthy\"} 1",
                    "tally_target_check_failures_total{target=\"teapot\",type=\"webhook\",error=\"status\"}",
                    "tally_target_health_status{target=\"metadata\",type=\"webhook\",status=\"unhealthy\"} 1",
                    "tally_target_check_failures_total{target=\"metadata\",type=\"webhook\",error=\"denied\"}"));
        });
        SCENARIOS.put("rabbitmq.md", (dir, example, parts) -> {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri("amqp://guest:guest@127.0.0.1:5672/%2F");
            com.rabbitmq.client.Connection connection = factory.newConnection("tally-docs-test");
            parts.add(connection::close);
            Channel channel = connection.createChannel();
            for (String queue : List.of("publish.high", "publish.slack", "publish.dlq")) {
                channel.queueDeclare(queue, true, false, false, null);
                channel.queuePurge(queue);
            }
            for (int i = 0; i < 3; i++) {
                channel.basicPublish("", "publish.high", null, ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            channel.basicPublish("", "publish.dlq", null, "dead".getBytes(StandardCharsets.UTF_8));
            parts.add(() -> {
                channel.queuePurge("publish.high");
                channel.queuePurge("publish.dlq");
            });
            java.util.regex.Pattern depth = java.util.regex.Pattern.compile(
                    "tally_queue_depth\\{[^}]*queue=\"publish\\.high\"[^}]*} 3\n");
            List<String> expected = List.of("tally_queue_source_connected{source=\"rabbit\",broker=\"rabbitmq\"} 1",
                    "queue=\"publish.slack\"", "queue=\"publish.dlq\"");
            return new Run(example, staticTarget(parts),
                    m -> expected.stream().allMatch(m::contains) && depth.matcher(m).find(),
                    List.of(expected + " and publish.high at depth 3"), Map.of());
        });
        SCENARIOS.put("redis.md", (dir, example, parts) -> {
            String key = "publish:docs-" + UUID.randomUUID().toString().substring(0, 8);
            RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
            StatefulRedisConnection<String, String> redis = client.connect();
            parts.add(client::shutdown);
            parts.add(redis::close);
            redis.sync().rpush(key, "a", "b");
            parts.add(() -> redis.sync().del(key));
            return new Run(example, staticTarget(parts), List.of(
                    "tally_queue_source_connected{source=\"redis\",broker=\"redis\"} 1",
                    "queue=\"" + key + "\""));
        });
        SCENARIOS.put("nats.md", (dir, example, parts) -> {
            io.nats.client.Connection nats = Nats.connect("nats://127.0.0.1:4222");
            parts.add(nats::close);
            JetStreamManagement jsm = nats.jetStreamManagement();
            String extraStream = "PUBLISH_DOCS" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
            jsm.addStream(StreamConfiguration.builder().name(extraStream).subjects("docs." + extraStream.toLowerCase())
                    .storageType(StorageType.Memory).build());
            parts.add(() -> jsm.deleteStream(extraStream));
            try {
                jsm.getStreamInfo("PUBLISH");
            } catch (JetStreamApiException missing) {
                jsm.addStream(StreamConfiguration.builder().name("PUBLISH").subjects("publish.>")
                        .storageType(StorageType.Memory).build());
                parts.add(() -> jsm.deleteStream("PUBLISH"));
            }
            return new Run(example, staticTarget(parts), List.of(
                    "tally_queue_source_connected{source=\"nats\",broker=\"nats\"} 1",
                    "queue=\"PUBLISH\"", "queue=\"" + extraStream + "\""));
        });
        SCENARIOS.put("kafka.md", (dir, example, parts) -> {
            // A real Kafka broker (KRaft, one combined node) in this JVM; the Tally process reads it over loopback.
            // Its INFO lines (a few MB per start) would bury the test's own output.
            for (String logger : List.of("org.apache.kafka", "kafka", "state.change.logger")) {
                ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(logger))
                        .setLevel(ch.qos.logback.classic.Level.WARN);
            }
            KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                    .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0").build();
            parts.add(kafka);
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("publish.requests", 3, (short) 1),
                        new NewTopic("publish.email.dlq", 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 6; i++) {
                    producer.send(new ProducerRecord<>("publish.requests", i % 3, null, "r" + i)).get(30, TimeUnit.SECONDS);
                }
                producer.send(new ProducerRecord<>("publish.email.dlq", "dead")).get(30, TimeUnit.SECONDS);
            }
            // The group read 3 of the 6 and committed: lag 3, at most 1 a partition.
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                    "group.id", "publish-workers", "auto.offset.reset", "earliest", "enable.auto.commit", "false",
                    "max.poll.records", "1"), new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(new TopicPartition("publish.requests", 0),
                        new TopicPartition("publish.requests", 1), new TopicPartition("publish.requests", 2)));
                Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
                for (int p = 0; p < 3; p++) {
                    commits.put(new TopicPartition("publish.requests", p), new OffsetAndMetadata(1));
                }
                consumer.commitSync(commits, Duration.ofSeconds(30));
            }
            String yaml = example.replace("127.0.0.1:9092", bootstrap);
            String group = "queue=\"publish.requests:publish-workers\"";
            List<String> expected = List.of("tally_queue_source_connected{source=\"kafka\",broker=\"kafka\"} 1",
                    "tally_queue_depth{source=\"kafka\",broker=\"kafka\"," + group + ",target=\"*\",priority=\"high\",role=\"queue\"} 3",
                    "tally_queue_max_partition_lag{source=\"kafka\",broker=\"kafka\"," + group + ",target=\"*\",priority=\"high\",role=\"queue\"} 1",
                    "tally_queue_partitions{source=\"kafka\",broker=\"kafka\"," + group + ",target=\"*\",priority=\"high\",role=\"queue\"} 3",
                    "tally_queue_depth{source=\"kafka\",broker=\"kafka\",queue=\"publish.email.dlq\",target=\"*\",priority=\"\",role=\"dlq\"} 1",
                    "tally_queue_messages_in_per_second{source=\"kafka\",broker=\"kafka\"," + group);
            return new Run(yaml.replace("pollInterval: 5s", "pollInterval: 500ms"), staticTarget(parts), expected);
        });
        SCENARIOS.put("prometheus-publisher.md", (dir, example, parts) -> {
            HttpServer hook = server(parts, "/", 200, "ok");
            AlertmanagerProcess alertmanager = new AlertmanagerProcess(dir, """
                    route: { receiver: webhook }
                    receivers:
                      - name: webhook
                        webhook_configs: [ { url: "http://127.0.0.1:%d/am" } ]
                    """.formatted(hook.getAddress().getPort()));
            parts.add(alertmanager);
            // A generic notifier whose latency histogram has other buckets than Alertmanager's.
            HttpServer notifier = server(parts, "/metrics", 200, """
                    # TYPE notifier_deliveries_total counter
                    notifier_deliveries_total{destination="pagerduty"} 40
                    notifier_deliveries_total{destination="slack-prod"} 10
                    # TYPE notifier_delivery_failures_total counter
                    notifier_delivery_failures_total{destination="pagerduty",error_type="timeout"} 2
                    # TYPE notifier_delivery_duration_seconds histogram
                    notifier_delivery_duration_seconds_bucket{destination="pagerduty",le="0.2"} 30
                    notifier_delivery_duration_seconds_bucket{destination="pagerduty",le="0.8"} 38
                    notifier_delivery_duration_seconds_bucket{destination="pagerduty",le="+Inf"} 40
                    notifier_delivery_duration_seconds_sum{destination="pagerduty"} 9
                    notifier_delivery_duration_seconds_count{destination="pagerduty"} 40
                    # TYPE notifier_retries_total counter
                    notifier_retries_total{destination="pagerduty"} 5
                    # TYPE notifier_circuit_breaker_state gauge
                    notifier_circuit_breaker_state{destination="pagerduty"} 0
                    """);
            String yaml = example.replace("127.0.0.1:9093/metrics", alertmanager.url("/metrics").substring(7))
                    .replace("127.0.0.1:9500", "127.0.0.1:" + notifier.getAddress().getPort());
            return new Run(yaml, staticTarget(parts), List.of(
                    "tally_publisher_up{publisher=\"alertmanager\"} 1",
                    "tally_publisher_up{publisher=\"notifier\"} 1",
                    "tally_publisher_attempts_total{publisher=\"notifier\",target=\"pagerduty\"} 40",
                    "tally_publisher_failures_total{publisher=\"notifier\",target=\"pagerduty\",reason=\"timeout\"} 2",
                    "tally_publisher_latency_seconds_bucket{publisher=\"notifier\",target=\"pagerduty\",le=\"1.0\"} 38",
                    "tally_publisher_passthrough_notifier_retries_total{publisher=\"notifier\",destination=\"pagerduty\"} 5",
                    "tally_publisher_passthrough_notifier_circuit_breaker_state{publisher=\"notifier\",destination=\"pagerduty\"} 0",
                    "tally_target_up{target=\"docs-hook\",type=\"generic\"} 1"));
        });
    }

    static {
        SCENARIOS.put("workers.md", (dir, example, parts) -> {
            // A notifier exposing worker figures under its own names, at the page's address.
            HttpServer notifier = server(parts, "/metrics", 200, """
                    # TYPE notifier_jobs_processed_total counter
                    notifier_jobs_processed_total{endpoint="hook-a",status="ok"} 40
                    notifier_jobs_processed_total{endpoint="hook-a",status="error"} 2
                    # TYPE notifier_retry_attempts_total counter
                    notifier_retry_attempts_total{endpoint="hook-a",error="timeout"} 5
                    # TYPE notifier_circuit_breaker_state gauge
                    notifier_circuit_breaker_state{endpoint="hook-a",state="closed"} 1
                    notifier_circuit_breaker_state{endpoint="hook-a",state="open"} 0
                    # TYPE notifier_dlq_writes_total counter
                    notifier_dlq_writes_total{endpoint="hook-a",error="http_410"} 1
                    # TYPE notifier_workers gauge
                    notifier_workers{state="busy"} 2
                    notifier_workers{state="idle"} 6
                    """);
            String yaml = example.replace("127.0.0.1:9600", "127.0.0.1:" + notifier.getAddress().getPort());
            String page = Files.readString(DOCS.resolve("workers.md"));
            String events = block(page, "```ndjson\n");
            Files.writeString(dir.resolve("events.ndjson"), events);
            String curl = block(page, "```sh\n").lines().takeWhile(l -> !l.startsWith("#"))
                    .map(l -> l.endsWith("\\") ? l.substring(0, l.length() - 1) : l)
                    .reduce("", (a, b) -> a + " " + b).strip();
            List<String> expected = List.of(
                    "tally_jobs_processed_total{source=\"workers\",target=\"hook-a\",outcome=\"failed\"} 1",
                    "tally_circuit_breaker_state{source=\"workers\",target=\"hook-a\",state=\"open\"} 1",
                    "tally_retry_attempts_total{source=\"workers\",target=\"hook-a\",error_type=\"http_5xx\"} 1",
                    "tally_dlq_writes_total{source=\"workers\",target=\"hook-a\",error_type=\"http_5xx\"} 1",
                    "tally_dlq_replays_total{source=\"workers\",target=\"hook-a\",result=\"success\"} 1",
                    "tally_workers{source=\"workers\",state=\"active\"} 3",
                    "tally_queue_submissions_total{source=\"workers\",priority=\"high\",result=\"accepted\"} 1",
                    "tally_jobs_processed_total{source=\"notifier\",target=\"hook-a\",outcome=\"success\"} 40",
                    "tally_retry_attempts_total{source=\"notifier\",target=\"hook-a\",error_type=\"timeout\"} 5",
                    "tally_circuit_breaker_state{source=\"notifier\",target=\"hook-a\",state=\"closed\"} 1",
                    "tally_dlq_writes_total{source=\"notifier\",target=\"hook-a\",error_type=\"http_410\"} 1",
                    "tally_workers{source=\"notifier\",state=\"active\"} 2");
            // The page's own curl command, run as written against this Tally's port.
            Feed feed = port -> {
                Process p = new ProcessBuilder("sh", "-c", curl.replace("127.0.0.1:8080", "127.0.0.1:" + port))
                        .directory(dir.toFile()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return false;
                }
                return p.exitValue() == 0 && out.contains("\"accepted\":9") && out.contains("\"refused_count\":0");
            };
            // The page discovers hook-a itself: pushed events are taken for discovered targets only.
            return new Run(yaml, "", m -> expected.stream().allMatch(m::contains), expected, Map.of(), feed);
        });
    }

    /** The text of the first fenced block that opens with {@code fence} under '## Example'. */
    private static String block(String page, String fence) {
        int example = page.indexOf("\n## Example");
        int start = page.indexOf(fence, example) + fence.length();
        return page.substring(start, page.indexOf("```", start));
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedExampleRunsAgainstRealParts() throws IOException {
        List<Path> pages;
        try (Stream<Path> list = Files.list(DOCS)) {
            pages = list.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> !p.getFileName().toString().equals("queues-common.md")).sorted().toList();
        }
        assertThat(pages).extracting(p -> p.getFileName().toString())
                .as("every page in docs/collectors has a scenario here").containsExactlyInAnyOrderElementsOf(SCENARIOS.keySet());
        return pages.stream().map(page -> DynamicTest.dynamicTest(page.getFileName().toString(), () -> {
            Path dir = Files.createTempDirectory("docs-example");
            List<AutoCloseable> parts = new ArrayList<>();
            try {
                String example = DocsExamplesTest.example(Files.readString(page));
                Run run = SCENARIOS.get(page.getFileName().toString()).prepare(dir, example, parts);
                long started = System.nanoTime();
                serve(dir, run);
                if (page.getFileName().toString().equals("prometheus-publisher.md")) {
                    System.out.printf("FAULT| two publishers with different latency histogram layouts (the documented"
                            + " example: Alertmanager 1..20 s, a notifier 0.2/0.8 s) | both collectors ok, both"
                            + " publishers' series on one tally_publisher_latency_seconds layout, every collector's"
                            + " series served, promtool passes | detected in n/a (no failure: served within %.1f s of"
                            + " start) | recovered in n/a%n", (System.nanoTime() - started) / 1e9);
                }
            } finally {
                for (int i = parts.size() - 1; i >= 0; i--) {
                    try {
                        parts.get(i).close();
                    } catch (Exception ignored) {
                        // clean-up of a part that is already gone
                    }
                }
            }
        }));
    }

    private static void serve(Path dir, Run run) throws Exception {
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
                """.formatted(port, dir.resolve("trends").toString().replace('\\', '/')) + run.example + "\n" + run.extra);
        Process tally = TallyProcess.start(List.of(), dir.resolve("out.txt"), dir.resolve("err.txt"), "server",
                config.toString());
        try {
            String metrics = "";
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            boolean fed = run.feed == null;
            while (System.nanoTime() < until && tally.isAlive()) {
                if (!fed) {
                    fed = run.feed.feed(port);
                }
                metrics = get(port, "/metrics");
                if (run.ready.test(metrics)) {
                    break;
                }
                Thread.sleep(250);
            }
            assertThat(tally.isAlive()).as("tally runs: %s", Files.readString(dir.resolve("err.txt"))
                    + Files.readString(dir.resolve("out.txt"))).isTrue();
            assertThat(fed).as("the example's events were taken").isTrue();
            assertThat(run.ready.test(metrics)).as("the example serves %s; it served:%n%s", run.expected, metrics)
                    .isTrue();
            Promtool.Result promtool = Promtool.checkMetrics(metrics);
            assertThat(promtool.exitCode()).as(promtool.output()).isZero();

            String statsBody = get(port, "/stats");
            JsonNode stats = JSON.readTree(statsBody);
            run.stats.check(stats, statsBody);
            assertThat(stats.path("collectors").size()).isGreaterThanOrEqualTo(3);
            for (JsonNode collector : stats.path("collectors")) {
                String name = collector.path("name").asText();
                Set<String> allowed = run.allowed.getOrDefault(name, Set.of("ok"));
                assertThat(collector.path("status").asText()).as("%s: %s", name, collector).isIn(allowed);
                // Every collector's own series are served, not only its outcome.
                assertThat(metrics).contains("tally_collector_status{collector=\"" + name + "\",status=\""
                        + collector.path("status").asText() + "\"} 1");
            }
        } finally {
            tally.destroy();
            tally.waitFor();
        }
    }

    private static String get(int port, String path) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException notYetListening) {
            return "";
        }
    }

    /** Targets for the pages that describe no discovery of their own, so per-target series exist. */
    private static String staticTarget(List<AutoCloseable> parts) throws IOException {
        HttpServer hook = server(parts, "/", 200, "ok");
        return """
                discovery:
                  sources:
                    - type: static
                      targets: [ { name: docs-hook, type: generic, url: "http://127.0.0.1:%d/" } ]
                health: { interval: 1s, timeout: 500ms }
                """.formatted(hook.getAddress().getPort());
    }

    private static HttpServer server(List<AutoCloseable> parts, String path, int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            boolean none = bytes.length == 0 || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, none ? -1 : bytes.length);
            if (!none) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        parts.add(() -> server.stop(0));
        return server;
    }
}
