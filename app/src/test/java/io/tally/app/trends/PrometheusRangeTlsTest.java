package io.tally.app.trends;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tally.collectors.core.http.Deadline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The trust settings of trends.prometheus.tls against a loopback HTTPS server whose certificate
 * openssl made for this test: refused without them, accepted with the CA file or with
 * insecureSkipVerify. The server answers every query with an error body, as a store behind a
 * proxy that refuses the path would, so that a handshake that worked shows as "answered HTTP 403".
 */
class PrometheusRangeTlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpsServer server;
    private Path caFile;
    private final AtomicReference<String> authorization = new AtomicReference<>();

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        caFile = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path store = dir.resolve("server.p12");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                caFile.toString(), "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
        run(dir, "openssl", "pkcs12", "-export", "-in", caFile.toString(), "-inkey", key.toString(), "-out",
                store.toString(), "-passout", "pass:changeit");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"status\":\"error\",\"errorType\":\"forbidden\",\"error\":\"not here\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    private PrometheusRange range(String tls) throws Exception {
        return new PrometheusRange(JSON.readValue("{\"url\": \"https://127.0.0.1:" + server.getAddress().getPort()
                + "\", \"bearerToken\": \"tls-test-token\", \"tls\": " + tls + "}", PrometheusBackendConfiguration.class));
    }

    private static void query(PrometheusRange range) throws Exception {
        range.query("up", 0, 60_000, 15_000, Deadline.after(Duration.ofSeconds(10)));
    }

    @Test
    void anUnknownCaIsATlsFailure() throws Exception {
        PrometheusRange range = range("{}");
        assertThatThrownBy(() -> query(range)).isInstanceOf(PrometheusRange.Unavailable.class)
                .hasMessageContaining("(tls)");
        assertThat(authorization.get()).as("nothing sent before the handshake").isNull();
    }

    @Test
    void theCaFileMakesItTrusted() throws Exception {
        PrometheusRange range = range(JSON.writeValueAsString(java.util.Map.of("caFile", caFile.toString())));
        assertThatThrownBy(() -> query(range)).isInstanceOf(PrometheusRange.Unavailable.class)
                .hasMessageContaining("answered HTTP 403: not here");
        assertThat(authorization.get()).isEqualTo("Bearer tls-test-token");
    }

    @Test
    void insecureSkipVerifyTrustsAnything() throws Exception {
        PrometheusRange range = range("{\"insecureSkipVerify\": true}");
        assertThatThrownBy(() -> query(range)).isInstanceOf(PrometheusRange.Unavailable.class)
                .hasMessageContaining("answered HTTP 403");
    }

    @Test
    void aCaFileWithoutCertificatesIsRefusedAtStart(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        assertThatThrownBy(() -> range(JSON.writeValueAsString(java.util.Map.of("caFile", empty.toString()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trends.prometheus.tls.caFile");
    }
}
