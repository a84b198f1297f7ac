package io.tally.collectors.publisher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.HistogramSample;
import io.tally.collectors.core.MetricFamily;
import io.tally.collectors.core.OutcomeStatus;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.StandaloneEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishers measure latency with buckets of their own. Two of them (or two targets of one) with
 * different layouts must both be served, on Tally's one layout, without either collector failing.
 */
@Timeout(60)
class LatencyLayoutTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());

    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        servers.forEach(s -> s.stop(0));
        environment.close();
    }

    @Test
    void alertmanagerBucketsAreCarriedExactly() {
        double[] am = {1, 5, 10, 15, 20};
        long[] counts = {3, 7, 8, 9, 9, 12};
        long[] rebinned = LatencyBuckets.rebin(am, counts);
        assertThat(rebinned).hasSize(LatencyBuckets.BOUNDS.length + 1);
        assertThat(at(rebinned, 0.5)).isZero();
        assertThat(at(rebinned, 1)).isEqualTo(3);
        assertThat(at(rebinned, 2.5)).isEqualTo(3);
        assertThat(at(rebinned, 5)).isEqualTo(7);
        assertThat(at(rebinned, 10)).isEqualTo(8);
        assertThat(at(rebinned, 15)).isEqualTo(9);
        assertThat(at(rebinned, 20)).isEqualTo(9);
        assertThat(at(rebinned, 120)).isEqualTo(9);
        assertThat(rebinned[rebinned.length - 1]).isEqualTo(12);
    }

    @Test
    void otherBoundsAreReBinnedDownwardsAndStayCumulative() {
        // 0.3 and 1.2 are not Tally bounds: what was counted under them lands in the next bucket up.
        long[] rebinned = LatencyBuckets.rebin(new double[] {0.1, 0.3, 1.2}, new long[] {2, 5, 9, 10});
        assertThat(at(rebinned, 0.1)).isEqualTo(2);
        assertThat(at(rebinned, 0.25)).isEqualTo(2);
        assertThat(at(rebinned, 0.5)).isEqualTo(5);
        assertThat(at(rebinned, 1)).isEqualTo(5);
        assertThat(at(rebinned, 2.5)).isEqualTo(9);
        assertThat(rebinned[rebinned.length - 1]).isEqualTo(10);
        // A publisher whose counts go down inside one histogram still yields a valid one.
        long[] garbage = LatencyBuckets.rebin(new double[] {0.1, 1}, new long[] {9, 4, 6});
        for (int i = 1; i < garbage.length; i++) {
            assertThat(garbage[i]).isGreaterThanOrEqualTo(garbage[i - 1]);
        }
    }

    @Test
    void twoPublishersWithDifferentLayoutsAreBothServed() throws Exception {
        String alertmanager = serve("""
                # TYPE alertmanager_notifications_total counter
                alertmanager_notifications_total{integration="webhook"} 12
                # TYPE alertmanager_notifications_failed_total counter
                alertmanager_notifications_failed_total{integration="webhook"} 1
                # TYPE alertmanager_notification_latency_seconds histogram
                alertmanager_notification_latency_seconds_bucket{integration="webhook",le="1"} 10
                alertmanager_notification_latency_seconds_bucket{integration="webhook",le="5"} 11
                alertmanager_notification_latency_seconds_bucket{integration="webhook",le="10"} 12
                alertmanager_notification_latency_seconds_bucket{integration="webhook",le="15"} 12
                alertmanager_notification_latency_seconds_bucket{integration="webhook",le="20"} 12
                alertmanager_notification_latency_seconds_bucket{integration="webhook",le="+Inf"} 12
                alertmanager_notification_latency_seconds_sum{integration="webhook"} 9.5
                alertmanager_notification_latency_seconds_count{integration="webhook"} 12
                """);
        // Two targets of one publisher with two layouts, too.
        String notifier = serve("""
                # TYPE notifier_deliveries_total counter
                notifier_deliveries_total{destination="pagerduty"} 4
                notifier_deliveries_total{destination="rootly"} 2
                # TYPE notifier_delivery_duration_seconds histogram
                notifier_delivery_duration_seconds_bucket{destination="pagerduty",le="0.05"} 1
                notifier_delivery_duration_seconds_bucket{destination="pagerduty",le="0.3"} 3
                notifier_delivery_duration_seconds_bucket{destination="pagerduty",le="+Inf"} 4
                notifier_delivery_duration_seconds_sum{destination="pagerduty"} 1.2
                notifier_delivery_duration_seconds_count{destination="pagerduty"} 4
                notifier_delivery_duration_seconds_bucket{destination="rootly",le="0.5"} 1
                notifier_delivery_duration_seconds_bucket{destination="rootly",le="2"} 2
                notifier_delivery_duration_seconds_bucket{destination="rootly",le="+Inf"} 2
                notifier_delivery_duration_seconds_sum{destination="rootly"} 1.5
                notifier_delivery_duration_seconds_count{destination="rootly"} 2
                """);
        PublisherCollector am = collector("""
                type: prometheus
                name: alertmanager
                url: "%s"
                preset: alertmanager
                """.formatted(alertmanager));
        PublisherCollector generic = collector("""
                type: prometheus
                name: notifier
                url: "%s"
                preset: generic
                prefix: "notifier_"
                rules: { attempts: deliveries_total, latency: delivery_duration_seconds, targetLabels: [ destination ] }
                """.formatted(notifier));
        try (CollectorRegistry registry = new CollectorRegistry(List.of(am, generic), Duration.ofSeconds(1),
                environment.clock())) {
            Snapshot snapshot = registry.collect();
            assertThat(snapshot.outcome("alertmanager").status()).isEqualTo(OutcomeStatus.OK);
            assertThat(snapshot.outcome("notifier").status()).isEqualTo(OutcomeStatus.OK);
            MetricFamily latency = snapshot.family("tally_publisher_latency_seconds");
            assertThat(latency.histograms()).extracting(h -> h.labelValues().get(1))
                    .containsExactlyInAnyOrder("webhook", "pagerduty", "rootly");
            assertThat(latency.descriptor().bucketCount()).isEqualTo(LatencyBuckets.BOUNDS.length);
            HistogramSample webhook = series(latency, "webhook");
            assertThat(webhook.count()).isEqualTo(12);
            assertThat(webhook.bucket(index(1))).isEqualTo(10);
            assertThat(webhook.sum()).isEqualTo(9.5);
            assertThat(series(latency, "pagerduty").bucket(index(0.05))).isEqualTo(1);
            assertThat(series(latency, "rootly").bucket(index(2.5))).isEqualTo(2);
            // The per-target facts keep the publisher's own, finer buckets.
            assertThat(snapshot.targets().facts("pagerduty", PublisherFact.class).get(0).latencyP95Seconds())
                    .isEqualTo(0.3);
        }
    }

    private static long at(long[] rebinned, double bound) {
        return rebinned[index(bound)];
    }

    private static int index(double bound) {
        for (int i = 0; i < LatencyBuckets.BOUNDS.length; i++) {
            if (LatencyBuckets.BOUNDS[i] == bound) {
                return i;
            }
        }
        throw new AssertionError(bound + " is not a Tally bound");
    }

    private static HistogramSample series(MetricFamily family, String target) {
        return family.histograms().stream().filter(h -> h.labelValues().get(1).equals(target)).findFirst()
                .orElseThrow();
    }

    private PublisherCollector collector(String yaml) throws Exception {
        PrometheusPublisherFactory factory = YAML.readValue(yaml, PrometheusPublisherFactory.class);
        PublisherSource source = factory.buildSource(environment);
        source.scrapeIfIdle();
        return new PublisherCollector(source, "tally_publisher_passthrough_");
    }

    private String serve(String text) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/metrics";
    }
}
