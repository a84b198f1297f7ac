package io.tally.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.discovery.DiscoveryFactory;
import io.tally.collectors.health.HealthFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The five built-in collector families over real state, shared by the benchmarks: N static targets
 * ({@code target-0} ...) discovered by the refresh manager and each probed at least once against a
 * loopback HTTP server; a redis queue source with one list per target (up to 1 000) mapped to it; a
 * prometheus publisher whose receivers have the targets' names. So every target's facts join up.
 */
final class FiveFamilies implements AutoCloseable {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());

    final HttpServer server;
    final StandaloneEnvironment environment;
    final Collector discovery;
    final Collector refresh;
    final Collector health;
    final QueuePublisherBenchmark others;
    private final List<CollectorRegistry> registries = new java.util.ArrayList<>();

    /** @param probeInterval the health interval; probing keeps running until {@link #stopProbing} or close */
    FiveFamilies(int targets, String probeInterval) throws Exception {
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
        health = YAML.readValue("interval: " + probeInterval + "\ntimeout: 1500ms\nconcurrency: 64\n",
                HealthFactory.class).build(environment);
        environment.start();
        awaitEveryTargetProbed(targets);

        others = new QueuePublisherBenchmark();
        others.size = Math.min(targets, 1_000);
        others.setUp(environment.targets());
    }

    CollectorRegistry targetFamilies() {
        return register(new CollectorRegistry(List.of(discovery, refresh, health), Duration.ofSeconds(5),
                environment.clock()));
    }

    CollectorRegistry allFive() {
        return register(new CollectorRegistry(List.of(discovery, refresh, health, others.queueCollector(),
                others.publisherCollector()), Duration.ofSeconds(5), environment.clock()));
    }

    private CollectorRegistry register(CollectorRegistry registry) {
        registries.add(registry);
        return registry;
    }

    /** Stops probing and refreshing; the states stay as they are. */
    void stopProbing() throws Exception {
        environment.close();
    }

    private void awaitEveryTargetProbed(int targets) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (CollectorRegistry registry = new CollectorRegistry(List.of(discovery, refresh, health),
                Duration.ofSeconds(5), environment.clock())) {
            while (System.nanoTime() < until) {
                Snapshot s = registry.collect();
                var up = s.family("tally_target_up");
                if (up != null && up.samples().size() == targets) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("not every target was probed within 120 s");
    }

    @Override
    public void close() throws Exception {
        registries.forEach(CollectorRegistry::close);
        others.tearDown();
        environment.close();
        server.stop(0);
    }
}
