package io.tally.collectors.publisher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.core.workers.WorkerFact;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A notifier exposing worker figures under its own names, served on loopback, mapped by the generic preset's worker roles. */
class WorkerRolesTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());

    /** A notifier whose figures follow the seed's names under its own prefix, with its own label names. */
    private static String notifier(int ok, int failed) {
        return """
                # TYPE notifier_jobs_processed_total counter
                notifier_jobs_processed_total{endpoint="hook-a",status="ok"} %1$d
                notifier_jobs_processed_total{endpoint="hook-a",status="error"} %2$d
                notifier_jobs_processed_total{endpoint="hook-a",status="dlq"} 1
                notifier_jobs_processed_total{endpoint="hook-a",status="weird"} 100
                # TYPE notifier_retry_attempts_total counter
                notifier_retry_attempts_total{endpoint="hook-a",error="timeout"} 3
                # TYPE notifier_circuit_breaker_state gauge
                notifier_circuit_breaker_state{endpoint="hook-a",state="closed"} 0
                notifier_circuit_breaker_state{endpoint="hook-a",state="half-open"} 0
                notifier_circuit_breaker_state{endpoint="hook-a",state="open"} 1
                notifier_circuit_breaker_state{endpoint="hook-b",state="closed"} 1
                # TYPE notifier_workers gauge
                notifier_workers{state="busy"} 4
                notifier_workers{state="idle"} 12
                # TYPE notifier_dlq_writes_total counter
                notifier_dlq_writes_total{endpoint="hook-a",error="http_410"} 1
                # TYPE notifier_dlq_replays_total counter
                notifier_dlq_replays_total{endpoint="hook-a",result="succeeded"} 2
                """.formatted(ok, failed);
    }

    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final AtomicReference<String> body = new AtomicReference<>(notifier(10, 2));
    private HttpServer server;
    private String url;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        environment.close();
    }

    @Test
    void aPrefixAndLabelNamesAreAllItTakes() throws Exception {
        PrometheusPublisherFactory factory = YAML.readValue("""
                type: prometheus
                name: notifier
                url: "%s"
                prefix: notifier_
                rules: { targetLabels: [ endpoint ], outcomeLabel: status, errorTypeLabel: error }
                """.formatted(url), PrometheusPublisherFactory.class);
        assertThat(factory.isAttemptsKnown()).isTrue();
        PublisherSource source = factory.buildSource(environment);
        PublisherCollector collector = new PublisherCollector(source, "p_");
        try (CollectorRegistry registry = new CollectorRegistry(List.of(collector), Duration.ofSeconds(1),
                environment.clock())) {
            source.scrapeIfIdle();
            Snapshot s = registry.collect();
            assertThat(value(s, "tally_jobs_processed", "hook-a", "success")).isEqualTo(10);
            assertThat(value(s, "tally_jobs_processed", "hook-a", "failed")).isEqualTo(2);
            assertThat(value(s, "tally_jobs_processed", "hook-a", "dead_lettered")).isEqualTo(1);
            assertThat(value(s, "tally_retry_attempts", "hook-a", "timeout")).isEqualTo(3);
            assertThat(value(s, "tally_circuit_breaker_state", "hook-a", "open")).isEqualTo(1);
            assertThat(value(s, "tally_circuit_breaker_state", "hook-b", "closed")).isEqualTo(1);
            assertThat(value(s, "tally_workers", "active")).isEqualTo(4);
            assertThat(value(s, "tally_workers", "idle")).isEqualTo(12);
            assertThat(value(s, "tally_dlq_writes", "hook-a", "http_410")).isEqualTo(1);
            assertThat(value(s, "tally_dlq_replays", "hook-a", "success")).isEqualTo(2);

            WorkerFact fact = s.targets().facts("hook-a", WorkerFact.class).get(0);
            assertThat(fact.source()).isEqualTo("notifier");
            assertThat(fact.jobsByOutcome()).containsOnlyKeys("success", "failed", "dead_lettered");
            assertThat(fact.breakerState()).isEqualTo("open");
            assertThat(fact.jobDurationP95Seconds()).isNull();
            // No publishing rule matched: no publishing fact is made up from the worker figures.
            assertThat(s.targets().facts("hook-a", PublisherFact.class)).isEmpty();

            // The notifier restarted: its counters start again, Tally's totals keep going.
            body.set(notifier(3, 0));
            source.scrapeIfIdle();
            Snapshot after = registry.collect();
            assertThat(value(after, "tally_jobs_processed", "hook-a", "success")).isEqualTo(13);
        }
    }

    @Test
    void aGenericPublisherWithNothingToReadIsRefused() throws Exception {
        PrometheusPublisherFactory factory = YAML.readValue("""
                type: prometheus
                name: notifier
                url: "%s"
                """.formatted(url), PrometheusPublisherFactory.class);
        assertThat(factory.isAttemptsKnown()).isFalse();
    }

    private static double value(Snapshot snapshot, String family, String... labels) {
        MetricFamily f = snapshot.family(family);
        assertThat(f).as(family).isNotNull();
        return f.samples().stream()
                .filter(s -> s.labelValues().subList(1, s.labelValues().size()).equals(List.of(labels)))
                .findFirst().map(Sample::value).orElseThrow(() -> new AssertionError(family + List.of(labels)
                        + " not in " + f.samples()));
    }
}
