package io.tally.collectors.publisher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.Backoff;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.OutcomeStatus;
import io.tally.collectors.core.PollSettings;
import io.tally.collectors.core.Sample;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.core.catalog.RedactedUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class PublisherSourceTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());

    /** Alertmanager 0.27 with --enable-feature=receiver-name-in-metrics, recorded. */
    private static String alertmanager(int okAttempts, int failAttempts) {
        return """
                # HELP alertmanager_notifications_total The total number of attempted notifications.
                # TYPE alertmanager_notifications_total counter
                alertmanager_notifications_total{integration="webhook",receiver_name="ok-hook"} %1$d
                alertmanager_notifications_total{integration="webhook",receiver_name="fail-hook"} %2$d
                alertmanager_notifications_total{integration="slack",receiver_name="slack-prod"} 0
                # HELP alertmanager_notifications_failed_total The total number of failed notifications.
                # TYPE alertmanager_notifications_failed_total counter
                alertmanager_notifications_failed_total{integration="webhook",reason="clientError",receiver_name="fail-hook"} %2$d
                alertmanager_notifications_failed_total{integration="webhook",reason="serverError",receiver_name="ok-hook"} 0
                # HELP alertmanager_notification_requests_total The total number of attempted notification requests.
                # TYPE alertmanager_notification_requests_total counter
                alertmanager_notification_requests_total{integration="webhook",receiver_name="ok-hook"} %1$d
                alertmanager_notification_requests_total{integration="webhook",receiver_name="fail-hook"} %2$d
                # HELP alertmanager_notification_latency_seconds The latency of notifications in seconds.
                # TYPE alertmanager_notification_latency_seconds histogram
                alertmanager_notification_latency_seconds_bucket{integration="webhook",receiver_name="ok-hook",le="1"} %1$d
                alertmanager_notification_latency_seconds_bucket{integration="webhook",receiver_name="ok-hook",le="5"} %1$d
                alertmanager_notification_latency_seconds_bucket{integration="webhook",receiver_name="ok-hook",le="+Inf"} %1$d
                alertmanager_notification_latency_seconds_sum{integration="webhook",receiver_name="ok-hook"} 0.5
                alertmanager_notification_latency_seconds_count{integration="webhook",receiver_name="ok-hook"} %1$d
                # HELP alertmanager_dispatcher_aggregation_groups Number of active aggregation groups
                # TYPE alertmanager_dispatcher_aggregation_groups gauge
                alertmanager_dispatcher_aggregation_groups 2
                """.formatted(okAttempts, failAttempts);
    }

    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final AtomicReference<String> body = new AtomicReference<>(alertmanager(10, 4));
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer server;
    private String url;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics?token=SECRETXYZ";
    }

    @AfterEach
    void stop() throws Exception {
        server.stop(0);
        environment.close();
    }

    private PrometheusPublisherFactory factory(String extra) throws Exception {
        return YAML.readValue("""
                type: prometheus
                name: am
                url: "%s"
                preset: alertmanager
                targetMap: { ok-hook: webhook-ok, fail-hook: webhook-fail }
                passthrough: [ "alertmanager_dispatcher_*" ]
                maxSize: 8KiB
                %s
                """.formatted(url, extra), PrometheusPublisherFactory.class);
    }

    @Test
    void alertmanagerPresetMapsReceiversToTargetsAndSurvivesResets() throws Exception {
        PrometheusPublisherFactory factory = factory("");
        PublisherSource source = factory.buildSource(environment);
        PublisherCollector collector = new PublisherCollector(source, "tally_publisher_passthrough_");
        try (CollectorRegistry registry = new CollectorRegistry(List.of(collector), Duration.ofSeconds(1),
                environment.clock())) {
            source.scrapeIfIdle();
            Snapshot first = registry.collect();
            assertThat(value(first, "tally_publisher_attempts", "webhook-ok")).isEqualTo(10);
            assertThat(value(first, "tally_publisher_attempts", "webhook-fail")).isEqualTo(4);
            assertThat(value(first, "tally_publisher_attempts", "slack-prod")).isEqualTo(0);
            assertThat(value(first, "tally_publisher_failures", "webhook-fail", "clientError")).isEqualTo(4);
            assertThat(value(first, "tally_publisher_success_ratio", "webhook-ok")).isEqualTo(1.0);
            assertThat(value(first, "tally_publisher_success_ratio", "webhook-fail")).isEqualTo(0.0);
            assertThat(first.family("tally_publisher_latency_seconds").histograms()).singleElement()
                    .satisfies(h -> assertThat(h.count()).isEqualTo(10));
            assertThat(first.family("tally_publisher_passthrough_alertmanager_dispatcher_aggregation_groups")
                    .samples().get(0).value()).isEqualTo(2);
            PublisherFact fact = first.targets().facts("webhook-ok", PublisherFact.class).get(0);
            assertThat(fact.latencyP95Seconds()).isBetween(0.0, 1.0);
            assertThat(fact.attemptsPerSecond()).isNull();

            body.set(alertmanager(13, 5));
            Thread.sleep(20);
            source.scrapeIfIdle();
            Snapshot second = registry.collect();
            assertThat(value(second, "tally_publisher_attempts", "webhook-ok")).isEqualTo(13);
            assertThat(second.targets().facts("webhook-ok", PublisherFact.class).get(0).attemptsPerSecond()).isPositive();

            // Alertmanager restarted: its counters start again from 2 and 1.
            body.set(alertmanager(2, 1));
            source.scrapeIfIdle();
            Snapshot afterReset = registry.collect();
            assertThat(value(afterReset, "tally_publisher_attempts", "webhook-ok")).isEqualTo(15);
            assertThat(value(afterReset, "tally_publisher_attempts", "webhook-fail")).isEqualTo(6);
            assertThat(value(afterReset, "tally_publisher_failures", "webhook-fail", "clientError")).isEqualTo(6);

            status.set(503);
            source.scrapeIfIdle();
            Snapshot down = registry.collect();
            // Not ok while unreadable; its last totals stay served next to up 0.
            assertThat(down.outcome("am").status()).isEqualTo(OutcomeStatus.UNAVAILABLE);
            assertThat(down.outcome("am").error()).startsWith("source unavailable: http_status:");
            assertThat(value(down, "tally_publisher_up")).isEqualTo(0);
            assertThat(value(down, "tally_publisher_attempts", "webhook-ok")).isEqualTo(15);
            assertThat(source.state().lastError()).startsWith("http_status:").doesNotContain("SECRETXYZ");

            status.set(200);
            body.set("x".repeat(10_000));
            source.scrapeIfIdle();
            assertThat(source.state().lastError()).startsWith("too_large:");
            body.set("not { valid");
            source.scrapeIfIdle();
            assertThat(source.state().lastError()).startsWith("parse:");
            // A page cannot choose its own error kind by what its text says.
            body.set("# TYPE x more than\n");
            source.scrapeIfIdle();
            assertThat(source.state().lastError()).startsWith("parse:");
            assertThat(value(registry.collect(), "tally_publisher_scrape_errors", "parse")).isEqualTo(2);
        }
    }

    @Test
    void withoutReceiverNamesTheIntegrationIsTheTarget() throws Exception {
        body.set("""
                # TYPE alertmanager_notifications_total counter
                alertmanager_notifications_total{integration="webhook"} 5
                alertmanager_notifications_total{integration="slack"} 0
                # TYPE alertmanager_notifications_failed_total counter
                alertmanager_notifications_failed_total{integration="webhook",reason="clientError"} 2
                alertmanager_notifications_failed_total{integration="webhook",reason="serverError"} 0
                # TYPE alertmanager_notification_requests_total counter
                alertmanager_notification_requests_total{integration="webhook"} 5
                """);
        PublisherSource source = factory("").buildSource(environment);
        source.scrapeIfIdle();
        TargetPublishing webhook = source.state().targets().stream().filter(t -> t.target().equals("webhook"))
                .findFirst().orElseThrow();
        assertThat(webhook.attempts()).isEqualTo(5);
        assertThat(webhook.failures()).isEqualTo(2);
        assertThat(webhook.failuresByReason()).containsEntry("clientError", 2.0).containsEntry("serverError", 0.0);
        assertThat(webhook.requests()).isEqualTo(5);
    }

    @Test
    void unreachablePublisherIsUnavailable() throws Exception {
        url = "http://127.0.0.1:1/metrics";
        PublisherSource source = factory("timeout: 500ms").buildSource(environment);
        PublisherCollector collector = new PublisherCollector(source, "p_");
        source.scrapeIfIdle();
        try (CollectorRegistry registry = new CollectorRegistry(List.of(collector), Duration.ofSeconds(1),
                environment.clock())) {
            Snapshot snapshot = registry.collect();
            assertThat(snapshot.outcome("am").status()).isEqualTo(OutcomeStatus.UNAVAILABLE);
            assertThat(value(snapshot, "tally_publisher_up")).isEqualTo(0);
            assertThat(value(snapshot, "tally_publisher_scrape_errors", "connect")).isEqualTo(1);
        }
    }

    @Test
    void settingsNeverRenderTheAuthorizationHeader() {
        PublisherSettings settings = new PublisherSettings("am", RedactedUrl.parse("http://127.0.0.1:9093/metrics"),
                "Bearer s3cret-token", Preset.ALERTMANAGER.rules(), Map.of(), List.of(), 1024, 10,
                new PollSettings(Duration.ofSeconds(15), Duration.ofSeconds(5), Backoff.NONE));
        assertThat(settings.toString()).doesNotContain("s3cret").contains("authorization=***");
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
