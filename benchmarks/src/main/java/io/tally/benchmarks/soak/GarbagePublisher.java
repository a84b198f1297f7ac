package io.tally.benchmarks.soak;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * A publisher whose {@code /metrics} answers 200 with garbage: random bytes, or text made of the
 * exposition format's own punctuation in the wrong order. Every body opens with a line no
 * exposition parser can accept, so each scrape is a parse error whatever follows; the rest varies
 * from scrape to scrape (1 to 32 KiB).
 */
final class GarbagePublisher implements AutoCloseable {
    private static final List<String> OPENERS = List.of(
            "<!DOCTYPE html><html><body>502 Bad Gateway</body></html>",
            "{\"error\": \"not metrics\"}",
            "metric_without_a_value",
            "bad_value{job=\"x\"} not-a-number",
            "unterminated{label=\"value",
            "\u0000\u0001\u0002 binary");
    private static final String TEXT_ALPHABET = "abcxyz_:019 {}=\",.#\\\n\t+-eE";

    private final HttpServer server;
    private final LongAdder served = new LongAdder();
    private final SplittableRandom seeds;

    private GarbagePublisher(HttpServer server, long seed) {
        this.server = server;
        this.seeds = new SplittableRandom(seed);
    }

    static GarbagePublisher start(int port, long seed) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        GarbagePublisher publisher = new GarbagePublisher(server, seed);
        server.createContext("/metrics", exchange -> {
            byte[] body = publisher.nextBody();
            publisher.served.increment();
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return publisher;
    }

    int port() {
        return server.getAddress().getPort();
    }

    long served() {
        return served.sum();
    }

    private byte[] nextBody() {
        SplittableRandom random;
        synchronized (seeds) {
            random = seeds.split();
        }
        byte[] opener = (OPENERS.get(random.nextInt(OPENERS.size())) + "\n").getBytes(StandardCharsets.UTF_8);
        int size = 1024 + random.nextInt(31 * 1024);
        byte[] body = new byte[opener.length + size];
        System.arraycopy(opener, 0, body, 0, opener.length);
        boolean binary = random.nextBoolean();
        for (int i = opener.length; i < body.length; i++) {
            body[i] = binary ? (byte) random.nextInt(256)
                    : (byte) TEXT_ALPHABET.charAt(random.nextInt(TEXT_ALPHABET.length()));
        }
        return body;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
