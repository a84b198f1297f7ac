package io.tally.app;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.app.testing.TallyProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tally with {@code auth:} on, in its own JVM: an anonymous caller learns nothing but the public
 * path, each role reaches what it should and no more, refusals are JSON with a challenge and are
 * counted, and no credential reaches the log.
 */
@Timeout(120)
class AuthTest {
    private static final String PROM_TOKEN = "prom-0123456789abcdef0123456789abcdef";
    private static final String BCRYPT_TOKEN = "people-token-fedcba9876543210";
    private static final String ALICE_PASSWORD = "wonderland-Secret-42";
    private static final String TARGET = "secret-target-name";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path dir;
    private static Process tally;
    private static int port;
    private static int adminPort;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("tally-auth");
        port = TallyProcess.freePort();
        adminPort = TallyProcess.freePort();
        String promHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(PROM_TOKEN.getBytes(StandardCharsets.UTF_8)));
        String tokenBcrypt = BCrypt.withDefaults().hashToString(4, BCRYPT_TOKEN.toCharArray());
        String aliceBcrypt = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(4, ALICE_PASSWORD.toCharArray());
        Path config = dir.resolve("tally.yml");
        Files.writeString(config, """
                server:
                  applicationConnectors: [ { type: http, bindHost: 0.0.0.0, port: %d } ]
                  adminConnectors: [ { type: http, bindHost: 127.0.0.1, port: %d } ]
                collection: { interval: 1s, deadline: 250ms, maxAge: 500ms }
                discovery:
                  sources:
                    - type: static
                      targets: [ { name: %s, type: webhook, url: "http://127.0.0.1:%d/ping" } ]
                auth:
                  publicPaths: [ /health, /ping ]
                  tokens:
                    - { name: prometheus, sha256: "%s", roles: [ metrics ] }
                    - { name: people, bcrypt: "%s", roles: [ read ] }
                  users:
                    - { name: alice, bcrypt: "%s", roles: [ read, metrics, admin ] }
                trends: { dataDir: "%s" }
                logging: { level: INFO }
                """.formatted(port, adminPort, TARGET, adminPort, promHash, tokenBcrypt, aliceBcrypt,
                dir.resolve("trends")));
        tally = TallyProcess.start(List.of(), dir.resolve("out.txt"), dir.resolve("err.txt"), "server",
                config.toString());
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until && tally.isAlive()) {
            try {
                if (get(port, "/health", null).statusCode() != 0) {
                    break;
                }
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        assertThat(tally.isAlive()).as(log()).isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        if (tally != null) {
            tally.destroy();
            tally.waitFor();
        }
    }

    @Test
    void anAnonymousCallerLearnsNothingButThePublicPaths() throws Exception {
        for (String path : List.of("/stats", "/stats/" + TARGET, "/metrics", "/metrics/json", "/trends")) {
            HttpResponse<String> response = get(port, path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            // One challenge per line: a browser finds Basic only on a line of its own.
            assertThat(response.headers().allValues("WWW-Authenticate")).as(path)
                    .containsExactly("Bearer realm=\"tally\"", "Basic realm=\"tally\", charset=\"UTF-8\"");
            assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
            JsonNode error = JSON.readTree(response.body()).path("error");
            assertThat(error.path("code").asInt()).isEqualTo(401);
            assertThat(response.body()).doesNotContain(TARGET);
        }
        assertThat(get(port, "/health", null).statusCode()).isIn(200, 503);
        assertThat(get(adminPort, "/ping", null).statusCode()).isEqualTo(200);
        HttpResponse<String> admin = get(adminPort, "/healthcheck", null);
        assertThat(admin.statusCode()).isEqualTo(401);
        assertThat(admin.body()).doesNotContain(TARGET).startsWith("{\"error\":{\"code\":401");
    }

    @Test
    void eachRoleReachesWhatItShouldAndNoMore() throws Exception {
        String prometheus = "Bearer " + PROM_TOKEN;
        String people = "Bearer " + BCRYPT_TOKEN;
        String alice = basic("alice", ALICE_PASSWORD);

        assertThat(get(port, "/metrics", prometheus).statusCode()).isEqualTo(200);
        HttpResponse<String> forbidden = get(port, "/stats", prometheus);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(forbidden.body()).path("error").path("code").asInt()).isEqualTo(403);
        assertThat(forbidden.body()).doesNotContain(TARGET);

        assertThat(get(port, "/stats", people).body()).contains(TARGET);
        assertThat(get(port, "/metrics", people).statusCode()).isEqualTo(200);
        assertThat(get(adminPort, "/healthcheck", people).statusCode()).isEqualTo(403);

        assertThat(get(port, "/stats/" + TARGET, alice).statusCode()).isEqualTo(200);
        assertThat(get(adminPort, "/healthcheck", alice).statusCode()).isIn(200, 500);
        assertThat(get(adminPort, "/metrics", alice).body()).contains("tally_");
    }

    @Test
    void wrongCredentialsAreRefusedAndCountedWithoutNames() throws Exception {
        double before = failures("application", "invalid");
        assertThat(get(port, "/stats", basic("alice", "not-her-password")).statusCode()).isEqualTo(401);
        assertThat(get(port, "/stats", basic("mallory", ALICE_PASSWORD)).statusCode()).isEqualTo(401);
        assertThat(get(port, "/stats", "Bearer " + PROM_TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(get(port, "/stats", "Bearer").statusCode()).isEqualTo(401);
        assertThat(get(port, "/stats", "Digest whatever").statusCode()).isEqualTo(401);
        assertThat(failures("application", "invalid")).isEqualTo(before + 5);
        assertThat(failures("admin", "missing")).isGreaterThanOrEqualTo(0);
        String metrics = get(port, "/metrics", "Bearer " + PROM_TOKEN).body();
        assertThat(metrics).doesNotContain("mallory").doesNotContain("alice").doesNotContain(PROM_TOKEN);
    }

    @Test
    void noCredentialReachesTheLog() throws Exception {
        get(port, "/stats", basic("alice", ALICE_PASSWORD));
        get(port, "/stats", "Bearer " + PROM_TOKEN + "-wrong");
        get(port, "/stats", "Bearer " + BCRYPT_TOKEN);
        assertThat(log()).doesNotContain(PROM_TOKEN).doesNotContain(BCRYPT_TOKEN).doesNotContain(ALICE_PASSWORD)
                .doesNotContain(Base64.getEncoder().encodeToString(("alice:" + ALICE_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)));
    }

    private static double failures(String port, String reason) throws Exception {
        String metrics = get(AuthTest.port, "/metrics", "Bearer " + PROM_TOKEN).body();
        Matcher m = Pattern.compile("^tally_auth_failures_total\\{port=\"" + port + "\",reason=\"" + reason
                + "\",?} (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        assertThat(m.find()).as("tally_auth_failures_total in %s", metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(int port, String path, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String log() {
        try {
            return Files.readString(dir.resolve("out.txt")) + Files.readString(dir.resolve("err.txt"));
        } catch (IOException e) {
            return "";
        }
    }
}
