package io.tally.collectors.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Real HTTP(S) servers on loopback for probe tests, each counting the requests it saw. */
final class TestServers implements AutoCloseable {
    private final List<HttpServer> servers = new ArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    int requestsWithQuery(String query) {
        AtomicInteger n = requestsByQuery.get(query);
        return n == null ? 0 : n.get();
    }

    /** Requests by query string ("" when none), so that targets sharing a server can be told apart. */
    final Map<String, AtomicInteger> requestsByQuery = new ConcurrentHashMap<>();

    /** Answers {@code status} with {@code body} after {@code delayMillis}. */
    String http(int status, String body, long delayMillis) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", handler(status, body, delayMillis));
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/health";
    }

    /** An HTTPS server with a self-signed certificate made by keytool now, valid for {@code days}. */
    String https(Path dir, int days) throws Exception {
        Path keystore = dir.resolve("self-signed.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "test", "-keyalg", "RSA", "-keysize", "2048", "-validity", Integer.toString(days),
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0 || !Files.exists(keystore)) {
            throw new IllegalStateException("keytool failed");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", handler(200, "ok", 0));
        server.start();
        servers.add(server);
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/health";
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private HttpHandler handler(int status, String body, long delayMillis) {
        return (HttpExchange exchange) -> {
            requests.incrementAndGet();
            String query = exchange.getRequestURI().getRawQuery();
            requestsByQuery.computeIfAbsent(query == null ? "" : query, q -> new AtomicInteger()).incrementAndGet();
            try {
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            } catch (InterruptedException | IOException e) {
                // client gave up (timeout test)
            } finally {
                exchange.close();
            }
        };
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
    }
}
