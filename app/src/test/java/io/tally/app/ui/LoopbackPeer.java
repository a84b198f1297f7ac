package io.tally.app.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The targets and the publisher the page's tests watch, on loopback: {@code /ok} answers 200,
 * {@code /slow} answers 200 after {@code slowMillis} (degraded), {@code /fail} answers 500
 * (unhealthy), and {@code /metrics} is a publisher's exposition whose counters grow on every
 * scrape (one attempt in twenty fails, with reason {@code timeout}).
 */
final class LoopbackPeer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicLong scrapes = new AtomicLong();

    LoopbackPeer(long slowMillis, String publishedTarget) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/ok", exchange -> answer(exchange, 200, "ok"));
        server.createContext("/fail", exchange -> answer(exchange, 500, "failing on purpose"));
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(slowMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "slow");
        });
        server.createContext("/metrics", exchange -> {
            long n = scrapes.incrementAndGet();
            long attempts = 20 * n;
            answer(exchange, 200, """
                    # TYPE notifier_deliveries_total counter
                    notifier_deliveries_total{target="%1$s"} %2$d
                    # TYPE notifier_delivery_failures_total counter
                    notifier_delivery_failures_total{target="%1$s",reason="timeout"} %3$d
                    """.formatted(publishedTarget, attempts, attempts / 20));
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
