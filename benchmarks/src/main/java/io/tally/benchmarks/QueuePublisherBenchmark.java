package io.tally.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.jackson.Jackson;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorFactory;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.core.catalog.TargetCatalog;
import io.tally.collectors.publisher.PrometheusPublisherFactory;
import io.tally.collectors.publisher.PublisherCollector;
import io.tally.collectors.publisher.PublisherSource;
import io.tally.collectors.queue.QueueCollector;
import io.tally.collectors.queue.QueueFactory;
import io.tally.collectors.queue.QueueSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Queue and publisher collectors' {@code collect} over real state: {@code size} Redis lists read by
 * a redis queue source (Redis on 127.0.0.1:6379), each mapped to its target ({@code target-i}), and
 * an Alertmanager-shaped exposition with {@code size} receivers of the same names scraped over
 * loopback by the prometheus publisher source.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QueuePublisherBenchmark {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());

    @Param({"100", "1000"})
    public int size;

    private StandaloneEnvironment environment;
    private HttpServer server;
    private QueueSource queueSource;
    private PublisherSource publisherSource;
    private Collector queues;
    private Collector publisher;
    private CollectionContext context;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        environment = new StandaloneEnvironment();
        setUp(environment.targets());
    }

    /** Builds the sources and collectors; queue facts go to the targets of {@code catalog}. */
    void setUp(TargetCatalog catalog) throws Exception {
        if (environment == null) {
            environment = new StandaloneEnvironment();
        }
        RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            for (int i = 0; i < size; i++) {
                String key = "tallybench:" + size + ":" + i;
                connection.sync().del(key);
                connection.sync().rpush(key, "a", "b", "c");
            }
        } finally {
            redis.shutdown();
        }
        // One queue per target, as a deployment with a queue per destination would map them.
        StringBuilder queueYaml = new StringBuilder("""
                type: redis
                name: redis
                uri: "redis://127.0.0.1:6379"
                maxQueues: 100000
                queues:
                """);
        for (int i = 0; i < size; i++) {
            queueYaml.append("  - { name: \"tallybench:").append(size).append(':').append(i)
                    .append("\", target: target-").append(i).append(", priority: high, capacity: 100 }\n");
        }
        QueueFactory queueFactory = YAML.readValue(queueYaml.toString(), QueueFactory.class);
        QueueSource queueSource = queueFactory.buildSource(environment);
        queueSource.pollIfIdle();
        queueSource.pollIfIdle();
        if (queueSource.state().queues().size() != size) {
            throw new IllegalStateException("expected " + size + " queues, read " + queueSource.state().queues().size());
        }
        queues = new QueueCollector(queueSource, catalog);
        this.queueSource = queueSource;

        byte[] exposition = alertmanager(size).getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            exchange.sendResponseHeaders(200, exposition.length);
            exchange.getResponseBody().write(exposition);
            exchange.close();
        });
        server.start();
        PrometheusPublisherFactory publisherFactory = (PrometheusPublisherFactory) YAML.readValue("""
                type: prometheus
                name: am
                url: "http://127.0.0.1:%d/metrics"
                preset: alertmanager
                """.formatted(server.getAddress().getPort()), CollectorFactory.class);
        PublisherSource publisherSource = publisherFactory.buildSource(environment);
        publisherSource.scrapeIfIdle();
        publisherSource.scrapeIfIdle();
        if (publisherSource.state().targets().size() != size) {
            throw new IllegalStateException("expected " + size + " publisher targets");
        }
        publisher = new PublisherCollector(publisherSource, "p_");
        this.publisherSource = publisherSource;
        context = new CollectionContext(Instant.now(), Long.MAX_VALUE, environment.clock());
    }

    static String alertmanager(int receivers) {
        StringBuilder out = new StringBuilder();
        String[][] families = {
            {"alertmanager_notifications_total", "counter"}, {"alertmanager_notifications_failed_total", "counter"},
            {"alertmanager_notification_requests_total", "counter"},
            {"alertmanager_notification_requests_failed_total", "counter"}};
        for (String[] family : families) {
            out.append("# HELP ").append(family[0]).append(" x\n# TYPE ").append(family[0]).append(' ')
                    .append(family[1]).append('\n');
            for (int i = 0; i < receivers; i++) {
                out.append(family[0]).append("{integration=\"webhook\",receiver_name=\"target-").append(i)
                        .append(family[0].contains("failed") ? "\",reason=\"serverError" : "").append("\"} ")
                        .append(i * 3 + 1).append('\n');
            }
        }
        out.append("# HELP alertmanager_notification_latency_seconds x\n")
                .append("# TYPE alertmanager_notification_latency_seconds histogram\n");
        for (int i = 0; i < receivers; i++) {
            String labels = "integration=\"webhook\",receiver_name=\"target-" + i + "\"";
            for (String le : new String[] {"1", "5", "10", "15", "20", "+Inf"}) {
                out.append("alertmanager_notification_latency_seconds_bucket{").append(labels).append(",le=\"")
                        .append(le).append("\"} ").append(i).append('\n');
            }
            out.append("alertmanager_notification_latency_seconds_sum{").append(labels).append("} ").append(i * 0.1).append('\n');
            out.append("alertmanager_notification_latency_seconds_count{").append(labels).append("} ").append(i).append('\n');
        }
        return out.toString();
    }

    Collector queueCollector() {
        return queues;
    }

    Collector publisherCollector() {
        return publisher;
    }

    QueueSource queueSource() {
        return queueSource;
    }

    PublisherSource publisherSource() {
        return publisherSource;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        server.stop(0);
        environment.close();
    }

    @Benchmark
    public void queueCollect(Blackhole bh) throws InterruptedException {
        queues.collect(context, new ConsumingOutput(bh));
    }

    @Benchmark
    public void publisherCollect(Blackhole bh) throws InterruptedException {
        publisher.collect(context, new ConsumingOutput(bh));
    }
}
