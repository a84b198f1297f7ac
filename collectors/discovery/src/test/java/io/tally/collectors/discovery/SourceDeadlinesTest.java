package io.tally.collectors.discovery;

import com.codahale.metrics.Clock;
import com.sun.net.httpserver.HttpServer;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.core.catalog.Target;
import org.junit.jupiter.api.AfterEach;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The http and dns sources end each lookup by the refresh timeout, whatever the peer does: the
 * source itself, not only the refresh manager's wait for it (a source thread left hanging would pile
 * up one per refresh). A stalled peer is a failed refresh of kind {@code timeout}; the next refresh
 * after the peer answers again succeeds.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SourceDeadlinesTest {
    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    @AfterEach
    void close() throws Exception {
        release.countDown();
        environment.close();
        if (server != null) {
            server.stop(0);
        }
    }

    /** An http_sd endpoint that, while {@code stalled}, sends its headers and then nothing. */
    private String httpSd(AtomicBoolean stalled) throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/sd", exchange -> {
            byte[] body = """
                    [ { "targets": ["127.0.0.1:9300"], "labels": { "name": "from-http" } } ]
                    """.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            if (stalled.get()) {
                out.flush();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                out.write(body);
            }
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/sd?token=SECRETXYZ";
    }

    private static DiscoveryException discoverFails(TargetSource source, Duration timeout) {
        long start = System.nanoTime();
        DiscoveryException failure = catchThrowableOfType(DiscoveryException.class, () -> source.discover(timeout));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(failure).isNotNull();
        // The bound is the point of the test: the refresh timeout, plus room for a loaded machine.
        assertThat(seconds).as("lookup ended by the timeout").isLessThan(timeout.toMillis() / 1000.0 + 1.5);
        return failure;
    }

    @Test
    void anHttpSdEndpointThatStallsAfterTheHeadersTimesOutWithinTheRefreshTimeout() throws Exception {
        String url = httpSd(new AtomicBoolean(true));
        TargetSource source = TestSupport.source("type: http\nurl: \"" + url + "\"\n").build(Clock.defaultClock());
        DiscoveryException failure = discoverFails(source, Duration.ofSeconds(1));
        assertThat(failure.kind()).isEqualTo("timeout");
        assertThat(failure.getMessage()).contains("body incomplete").doesNotContain("SECRETXYZ");
    }

    @Test
    void aNameServerThatNeverAnswersTimesOutWithinTheRefreshTimeout() throws Exception {
        try (TinyDnsServer dns = new TinyDnsServer()) {
            dns.silent = true;
            TargetSource source = TestSupport.source("""
                    type: dns
                    dnsName: _webhook._tcp.example.internal
                    nameserver: "127.0.0.1:%d"
                    """.formatted(dns.port())).build(Clock.defaultClock());
            // JNDI gives up by itself at about the timeout here (one server); it used to call that "dns".
            DiscoveryException failure = discoverFails(source, Duration.ofSeconds(3));
            assertThat(failure.kind()).as(failure.getMessage()).isEqualTo("timeout");
        }
    }

    @Test
    void aStalledHttpSdIsAFailedRefreshOfKindTimeoutAndTheNextGoodOneRecovers() throws Exception {
        AtomicBoolean stalled = new AtomicBoolean(true);
        String url = httpSd(stalled);
        refreshFaultAndRecovery("http_sd endpoint stalls after the headers", """
                refresh: { interval: 1h, timeout: 1s, retries: 100, backoff: 200ms, maxBackoff: 500ms, jitter: 0 }
                sources:
                  - type: http
                    name: sd
                    url: "%s"
                """.formatted(url), () -> stalled.set(false));
    }

    @Test
    void aSilentNameServerIsAFailedRefreshOfKindTimeoutAndTheNextGoodOneRecovers() throws Exception {
        try (TinyDnsServer dns = new TinyDnsServer()) {
            dns.srv("_webhook._tcp.example.internal", List.of(new TinyDnsServer.Srv(9400, "hook1.example.internal")));
            dns.silent = true;
            refreshFaultAndRecovery("DNS server never answers (dns discovery)", """
                    refresh: { interval: 1h, timeout: 1s, retries: 100, backoff: 200ms, maxBackoff: 500ms, jitter: 0 }
                    sources:
                      - type: dns
                        name: sd
                        dnsName: _webhook._tcp.example.internal
                        nameserver: "127.0.0.1:%d"
                    """.formatted(dns.port()), () -> dns.silent = false);
        }
    }

    private void refreshFaultAndRecovery(String fault, String yaml, Runnable heal) throws Exception {
        DiscoveryFactory.Components components = TestSupport.discovery(yaml).build(environment);
        RefreshManager manager = components.manager();
        long start = System.nanoTime();
        environment.start();
        await(() -> manager.state().status() == RefreshStatus.FAILED, Duration.ofSeconds(10));
        double detected = (System.nanoTime() - start) / 1e9;
        DiscoveryState failed = manager.state();
        assertThat(failed.lastError()).startsWith("sd: timeout: ").doesNotContain("SECRETXYZ");
        assertThat(failed.sources().get(0).errorsByKind()).containsKey("timeout");

        long healed = System.nanoTime();
        heal.run();
        await(() -> manager.state().status() == RefreshStatus.SUCCESS
                && environment.targets().current().size() == 1, Duration.ofSeconds(10));
        double recovered = (System.nanoTime() - healed) / 1e9;
        assertThat(environment.targets().current().targets()).extracting(Target::name).hasSize(1);
        System.out.println("FAULT| " + fault + " | refresh failed, last_error \"sd: timeout: ...\", "
                + "tally_discovery_errors_total{kind=\"timeout\"} | detected in " + String.format(Locale.ROOT, "%.2f s", detected)
                + " | recovered in " + String.format(Locale.ROOT, "%.2f s", recovered) + " (next retry after backoff)");
    }

    private static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition within " + within).isTrue();
    }
}
