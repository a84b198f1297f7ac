package io.tally.app;

import com.sun.net.httpserver.HttpServer;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.tally.app.config.TallyConfiguration;
import io.tally.app.testing.AlertmanagerProcess;
import io.tally.collectors.core.CollectorRegistry;
import io.tally.collectors.core.Snapshot;
import io.tally.collectors.core.catalog.TargetInfo;
import io.tally.collectors.publisher.PublisherFact;
import org.junit.jupiter.api.Test;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Alertmanager delivering to a loopback webhook server that accepts one receiver's
 * notifications and rejects the other's; Tally scrapes Alertmanager and must count what the
 * webhook server saw.
 */
class AlertmanagerPublisherTest {

    @Test
    void attemptsAndFailuresMatchWhatTheWebhookServerSaw(@TempDir Path dir) throws Exception {
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        HttpServer webhooks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Deliveries are POSTs; Tally's own health probes of the target are GETs and not counted.
        webhooks.createContext("/ok", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("POST")) {
                ok.incrementAndGet();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhooks.createContext("/fail", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("POST")) {
                rejected.incrementAndGet();
            }
            // 4xx: Alertmanager does not retry, so each notification is one request.
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
        });
        webhooks.start();
        String hooks = "http://127.0.0.1:" + webhooks.getAddress().getPort();
        try (AlertmanagerProcess alertmanager = new AlertmanagerProcess(dir, """
                route:
                  receiver: ok
                  group_by: [ alertname ]
                  group_wait: 0s
                  # A group whose notification failed is flushed again at the next group_interval;
                  # an hour keeps each group to exactly one request in this test.
                  group_interval: 1h
                  repeat_interval: 1h
                  routes:
                    - matchers: [ 'dest="fail"' ]
                      receiver: fail
                receivers:
                  - name: ok
                    webhook_configs: [ { url: "%1$s/ok", send_resolved: false } ]
                  - name: fail
                    webhook_configs: [ { url: "%1$s/fail", send_resolved: false } ]
                """.formatted(hooks))) {
            Path config = dir.resolve("tally.yml");
            Files.writeString(config, """
                    server:
                      applicationConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                      adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                      requestLog: { appenders: [] }
                    collection: { interval: 200ms, deadline: 150ms, maxAge: 0s }
                    discovery:
                      sources:
                        - type: static
                          targets: [ { name: am-webhooks, type: webhook, url: "%s/ok" } ]
                    health: { interval: 1s, timeout: 500ms }
                    publishers:
                      - type: prometheus
                        name: alertmanager
                        url: "%s"
                        preset: alertmanager
                        interval: 200ms
                        targetMap: { webhook: am-webhooks }
                    trends: { dataDir: "%s" }
                    logging: { level: WARN }
                    """.formatted(hooks, alertmanager.url("/metrics"), dir.resolve("trends")));
            DropwizardAppExtension<TallyConfiguration> app = new DropwizardAppExtension<>(TallyApplication.class,
                    config.toString());
            app.before();
            try {
                alertmanager.postAlerts("""
                        [ {"labels": {"alertname": "a1", "dest": "ok"}},
                          {"labels": {"alertname": "a2", "dest": "ok"}},
                          {"labels": {"alertname": "a3", "dest": "ok"}},
                          {"labels": {"alertname": "b1", "dest": "fail"}},
                          {"labels": {"alertname": "b2", "dest": "fail"}} ]
                        """);
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while ((ok.get() < 3 || rejected.get() < 2) && System.nanoTime() < until) {
                    Thread.sleep(50);
                }
                assertThat(ok.get()).isEqualTo(3);
                assertThat(rejected.get()).isEqualTo(2);

                HttpClient http = HttpClient.newHttpClient();
                String metrics = "";
                while (System.nanoTime() < until) {
                    metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getLocalPort()
                            + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                    int now = ok.get() + rejected.get();
                    if (value(metrics, "tally_publisher_requests_total{publisher=\"alertmanager\",target=\"am-webhooks\"}") == now
                            && now == ok.get() + rejected.get()) {
                        break;
                    }
                    Thread.sleep(100);
                }
                int seen = ok.get() + rejected.get();
                assertThat(value(metrics, "tally_publisher_requests_total{publisher=\"alertmanager\",target=\"am-webhooks\"}"))
                        .isEqualTo(seen);
                assertThat(value(metrics, "tally_publisher_requests_failed_total{publisher=\"alertmanager\",target=\"am-webhooks\"}"))
                        .isEqualTo(rejected.get());
                assertThat(value(metrics, "tally_publisher_attempts_total{publisher=\"alertmanager\",target=\"am-webhooks\"}"))
                        .isEqualTo(seen);
                assertThat(metrics).containsPattern(
                        "tally_publisher_failures_total\\{publisher=\"alertmanager\",target=\"am-webhooks\",reason=\"[a-zA-Z]+\"} 2\n");
                assertThat(metrics).contains("tally_publisher_up{publisher=\"alertmanager\"} 1");

                CollectorRegistry registry = ((TallyApplication) app.getApplication()).injector()
                        .getInstance(CollectorRegistry.class);
                Snapshot snapshot = registry.latestWithin(Duration.ZERO);
                PublisherFact fact = snapshot.targets().facts("am-webhooks", PublisherFact.class).get(0);
                assertThat(fact.attempts()).isEqualTo(seen);
                assertThat(fact.failures()).isEqualTo(rejected.get());
                assertThat(fact.successRatio()).isEqualTo(0.6);
                assertThat(snapshot.targets().facts("am-webhooks", TargetInfo.class)).hasSize(1);
            } finally {
                app.after();
            }
        } finally {
            webhooks.stop(0);
        }
    }

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
