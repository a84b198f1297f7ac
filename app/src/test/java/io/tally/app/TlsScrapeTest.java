package io.tally.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.app.testing.PrometheusProcess;
import io.tally.app.testing.TallyProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment docs/security.md describes, end to end: Tally's application connector on https with
 * a keystore made by keytool, a bearer token for Prometheus, and a real Prometheus scraping it over
 * TLS, verifying the certificate. A second job without the token is refused.
 */
@Timeout(180)
class TlsScrapeTest {
    private static final String TOKEN = "scrape-token-5d41402abc4b2a76b9719d911017c592";
    private static final String STOREPASS = "changeit-keystore";

    @Test
    void prometheusScrapesTallyOverTlsWithABearerToken(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("tally.p12");
        Path certificate = dir.resolve("tally.pem");
        keytool("-genkeypair", "-alias", "tally", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", STOREPASS, "-keypass", STOREPASS);
        keytool("-exportcert", "-rfc", "-alias", "tally", "-keystore", keystore.toString(), "-storepass", STOREPASS,
                "-file", certificate.toString());

        int port = TallyProcess.freePort();
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(TOKEN.getBytes(StandardCharsets.UTF_8)));
        Path config = dir.resolve("tally.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors:
                    - type: https
                      bindHost: 127.0.0.1
                      port: %d
                      keyStorePath: "%s"
                      keyStorePassword: "%s"
                      keyStoreType: PKCS12
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: 0 } ]
                collection: { interval: 1s, deadline: 250ms, maxAge: 500ms }
                auth:
                  tokens: [ { name: prometheus, sha256: "%s", roles: [ metrics ] } ]
                trends: { dataDir: "%s" }
                logging: { level: WARN }
                """.formatted(port, keystore, STOREPASS, hash, dir.resolve("trends")));
        Process tally = TallyProcess.start(List.of(), dir.resolve("out.txt"), dir.resolve("err.txt"), "server",
                config.toString());
        try (PrometheusProcess prometheus = new PrometheusProcess(dir, """
                global: { scrape_interval: 1s, scrape_timeout: 900ms }
                scrape_configs:
                  - job_name: tally
                    scheme: https
                    tls_config: { ca_file: "%1$s" }
                    authorization: { type: Bearer, credentials: "%2$s" }
                    static_configs: [ { targets: [ "127.0.0.1:%3$d" ] } ]
                  - job_name: tally-anonymous
                    scheme: https
                    tls_config: { ca_file: "%1$s" }
                    static_configs: [ { targets: [ "127.0.0.1:%3$d" ] } ]
                """.formatted(certificate, TOKEN, port))) {
            long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            JsonNode collections = null;
            while (System.nanoTime() < until && tally.isAlive()) {
                collections = prometheus.query("tally_collections_total{job=\"tally\"}").path("result");
                if (collections.size() > 0) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(collections).as("Prometheus scraped Tally over TLS: %s%s", prometheus.log(),
                    Files.readString(dir.resolve("err.txt"))).isNotNull().isNotEmpty();
            assertThat(prometheus.query("up{job=\"tally\"}").path("result").get(0).path("value").get(1).asText())
                    .isEqualTo("1");
            JsonNode anonymous = null;
            for (JsonNode target : prometheus.api("/api/v1/targets").path("activeTargets")) {
                if (target.path("labels").path("job").asText().equals("tally-anonymous")
                        && !target.path("lastError").asText().isEmpty()) {
                    anonymous = target;
                }
            }
            while (anonymous == null && System.nanoTime() < until) {
                Thread.sleep(500);
                for (JsonNode target : prometheus.api("/api/v1/targets").path("activeTargets")) {
                    if (target.path("labels").path("job").asText().equals("tally-anonymous")
                            && !target.path("lastError").asText().isEmpty()) {
                        anonymous = target;
                    }
                }
            }
            assertThat(anonymous).isNotNull();
            assertThat(anonymous.path("health").asText()).isEqualTo("down");
            assertThat(anonymous.path("lastError").asText()).contains("401");
        } finally {
            tally.destroy();
            tally.waitFor();
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
