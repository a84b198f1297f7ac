package io.tally.collectors.publisher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.OutcomeStatus;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.StandaloneEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A publisher endpoint that sends its headers and then stalls: each scrape ends at the scrape
 * timeout as {@code up 0} with kind {@code timeout}, the source's start does not wait past it, and
 * the next scrape after the endpoint answers again is {@code up 1}.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PublisherStallTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());
    private static final String BODY = """
            # TYPE alertmanager_notifications_total counter
            alertmanager_notifications_total{integration="webhook"} 5
            """;

    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private String url;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/metrics", exchange -> {
            byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            OutputStream out = exchange.getResponseBody();
            if (stalled.get()) {
                out.flush();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                out.write(bytes);
            }
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics?token=SECRETXYZ";
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        environment.close();
        server.stop(0);
    }

    private PublisherSource source() throws Exception {
        PublisherSource source = YAML.readValue("""
                type: prometheus
                name: am
                url: "%s"
                preset: alertmanager
                interval: 1s
                timeout: 500ms
                """.formatted(url), PrometheusPublisherFactory.class).buildSource(environment);
        environment.manage(source);
        return source;
    }

    @Test
    void startReturnsByTheScrapeTimeoutAndTheStalledPublisherIsNotUp() throws Exception {
        stalled.set(true);
        PublisherSource source = source();
        long start = System.nanoTime();
        environment.start();
        double startSeconds = (System.nanoTime() - start) / 1e9;
        assertThat(startSeconds).as("start waited for the peer no longer than the scrape timeout (+ slack)")
                .isLessThan(0.5 + 2.0);
        assertThat(source.state().up()).isFalse();
        assertThat(source.state().lastError()).startsWith("timeout: ").contains("body incomplete")
                .doesNotContain("SECRETXYZ");
        try (CollectorRegistry registry = new CollectorRegistry(List.of(new PublisherCollector(source, "p_")),
                Duration.ofSeconds(1), environment.clock())) {
            Snapshot snapshot = registry.collect();
            assertThat(snapshot.outcome("am").status()).isEqualTo(OutcomeStatus.UNAVAILABLE);
            assertThat(value(snapshot, "tally_publisher_up")).isEqualTo(0);
            assertThat(value(snapshot, "tally_publisher_scrape_errors", "timeout")).isEqualTo(1);
        }
    }

    @Test
    void aPublisherThatStallsIsUpZeroKindTimeoutWithinOneIntervalAndRecovers() throws Exception {
        PublisherSource source = source();
        environment.start();
        try (CollectorRegistry registry = new CollectorRegistry(List.of(new PublisherCollector(source, "p_")),
                Duration.ofSeconds(1), environment.clock())) {
            assertThat(value(registry.collect(), "tally_publisher_up")).isEqualTo(1);

            long stalledAt = System.nanoTime();
            stalled.set(true);
            double detected = secondsUntil(registry, s -> value(s, "tally_publisher_up") == 0
                    && value(s, "tally_publisher_scrape_errors", "timeout") >= 1, stalledAt);
            // The next scrape starts within an interval and ends by its timeout.
            assertThat(detected).isLessThanOrEqualTo(1.0 + 0.5 + 1.0);
            assertThat(source.state().lastError()).startsWith("timeout: ");

            long answeringAt = System.nanoTime();
            stalled.set(false);
            double recovered = secondsUntil(registry, s -> value(s, "tally_publisher_up") == 1, answeringAt);
            assertThat(recovered).isLessThanOrEqualTo(1.0 + 0.5 + 1.0);
            System.out.println("FAULT| publisher endpoint stalls after the headers | tally_publisher_up 0, "
                    + "tally_publisher_scrape_errors_total{kind=\"timeout\"}, last totals kept | detected in "
                    + String.format(Locale.ROOT, "%.2f s", detected) + " | recovered in "
                    + String.format(Locale.ROOT, "%.2f s", recovered));
        }
    }

    private static double secondsUntil(CollectorRegistry registry, Predicate<Snapshot> condition, long since)
            throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < until) {
            if (condition.test(registry.collect())) {
                return (System.nanoTime() - since) / 1e9;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("condition not met within 15 s");
    }

    private static double value(Snapshot snapshot, String family, String... labels) {
        MetricFamily f = snapshot.family(family);
        if (f == null) {
            return Double.NaN;
        }
        return f.samples().stream()
                .filter(s -> s.labelValues().subList(1, s.labelValues().size()).equals(List.of(labels)))
                .findFirst().map(Sample::value).orElse(Double.NaN);
    }
}
