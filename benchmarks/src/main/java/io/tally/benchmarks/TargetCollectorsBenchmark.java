package io.tally.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.discovery.DiscoveryFactory;
import io.tally.collectors.health.HealthFactory;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The discovery, refresh and health collectors' {@code collect} over real state: N static targets
 * discovered by the refresh manager and each probed once against a loopback HTTP server, then the
 * probing stopped so that only collection is measured.
 *
 * <p>{@code *Collect} benchmarks write into a sink that only consumes (the collector's own cost);
 * {@code allThroughRegistry} runs a whole collection of the three (fan-out, buffering, merge,
 * snapshot).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TargetCollectorsBenchmark {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());

    @Param({"100", "1000", "10000"})
    public int targets;

    private HttpServer server;
    private StandaloneEnvironment environment;
    private Collector discovery;
    private Collector refresh;
    private Collector health;
    private CollectorRegistry registry;
    private CollectorRegistry allFive;
    private CollectionContext context;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        StringBuilder yaml = new StringBuilder("sources:\n  - type: static\n    targets:\n");
        for (int i = 0; i < targets; i++) {
            yaml.append("      - { name: target-").append(i).append(", type: webhook, url: \"http://127.0.0.1:")
                    .append(server.getAddress().getPort()).append("/hook/").append(i).append("\" }\n");
        }
        environment = new StandaloneEnvironment();
        DiscoveryFactory.Components components = YAML.readValue(yaml.toString(), DiscoveryFactory.class)
                .build(environment);
        discovery = components.collectors().get(0);
        refresh = components.collectors().get(1);
        health = YAML.readValue("interval: 2s\ntimeout: 1500ms\nconcurrency: 64\n", HealthFactory.class)
                .build(environment);
        environment.start();
        registry = new CollectorRegistry(List.of(discovery, refresh, health), Duration.ofSeconds(5),
                environment.clock());
        awaitEveryTargetProbed();
        environment.close(); // stops probing; the states stay

        // The other two families over real state: as many Redis lists and publisher receivers as targets
        // (capped at 1 000 lists), so that all five families are collected together.
        QueuePublisherBenchmark others = new QueuePublisherBenchmark();
        others.size = Math.min(targets, 1_000);
        others.setUp();
        allFive = new CollectorRegistry(List.of(discovery, refresh, health, others.queueCollector(),
                others.publisherCollector()), Duration.ofSeconds(5), environment.clock());
        allFive.collect();
        context = new CollectionContext(Instant.now(), Long.MAX_VALUE, environment.clock());
    }

    private void awaitEveryTargetProbed() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            Snapshot s = registry.collect();
            var up = s.family("tally_target_up");
            if (up != null && up.samples().size() == targets) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("not every target was probed within 120 s");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        registry.close();
        allFive.close();
        server.stop(0);
    }

    @Benchmark
    public void discoveryCollect(Blackhole bh) throws InterruptedException {
        discovery.collect(context, new ConsumingOutput(bh));
    }

    @Benchmark
    public void refreshCollect(Blackhole bh) throws InterruptedException {
        refresh.collect(context, new ConsumingOutput(bh));
    }

    @Benchmark
    public void healthCollect(Blackhole bh) throws InterruptedException {
        health.collect(context, new ConsumingOutput(bh));
    }

    @Benchmark
    public Snapshot allThroughRegistry() {
        return registry.collect();
    }

    /** All five built-in families (discovery, refresh, health, queue, publisher) in one collection. */
    @Benchmark
    public Snapshot allFiveFamiliesThroughRegistry() {
        return allFive.collect();
    }
}
