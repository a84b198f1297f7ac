package io.tally.collectors.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.StandaloneEnvironment;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetSet;
import io.tally.collectors.core.catalog.TargetType;
import io.tally.collectors.core.probe.ProbeOverrides;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the prober may reach. Names resolve through the JDK's own resolver from this module's hosts
 * file (see the pom): {@code metadata.tally.test} is the cloud metadata address,
 * {@code loopback.tally.test} is 127.0.0.1, {@code mixed.tally.test} is both.
 */
@Timeout(60)
class ProbeNetworksTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());

    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        environment.close();
        for (AutoCloseable server : servers) {
            server.close();
        }
    }

    @Test
    void metadataLinkLocalAndUnspecifiedAddressesAreDeniedByDefault() throws Exception {
        CountingServer loopback = countingServer();
        HealthProber prober = start("interval: 300ms\ntimeout: 250ms\n",
                target("ec2", "http://169.254.169.254/latest/meta-data/"),
                target("ec2-v6", "http://[fd00:ec2::254]/latest/meta-data/"),
                target("alibaba", "http://100.100.100.200/latest/meta-data/"),
                target("mapped", "http://[::ffff:169.254.169.254]/"),
                target("by-name", "http://metadata.tally.test/latest/meta-data/"),
                target("link-local-v6", "http://[fe80::1]/"),
                // 0.0.0.0 connects to the machine itself on Linux: a way around a loopback rule.
                target("unspecified", "http://0.0.0.0:" + loopback.port() + "/"),
                target("tcp-metadata", "tcp://169.254.169.254:80"),
                target("loopback", "http://127.0.0.1:" + loopback.port() + "/"));
        awaitProbed(prober, 9);
        for (String name : List.of("ec2", "ec2-v6", "alibaba", "mapped", "by-name", "link-local-v6", "unspecified",
                "tcp-metadata")) {
            TargetHealth h = health(prober, name);
            assertThat(h.status()).as(name).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(h.lastErrorClass()).as(name).isEqualTo("denied");
            assertThat(h.lastError()).as(name).contains("denied by default");
        }
        // Loopback stays allowed (the example config probes it), and 0.0.0.0 never reached it.
        assertThat(health(prober, "loopback").status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(loopback.hostHeaders()).allMatch(host -> host.startsWith("127.0.0.1"));
    }

    @Test
    void theCheckedAddressIsTheOneConnectedToAndTheNameStaysInTheHostHeader() throws Exception {
        CountingServer server = countingServer();
        HealthProber prober = start("interval: 1500ms\ntimeout: 1s\n",
                target("by-name", "http://loopback.tally.test:" + server.port() + "/hook"),
                // One name, an allowed and a denied address: only the allowed one is ever used.
                target("mixed", "http://mixed.tally.test:" + server.port() + "/hook"));
        awaitProbed(prober, 2);
        assertThat(health(prober, "by-name").status()).as(health(prober, "by-name").lastError())
                .isEqualTo(HealthStatus.HEALTHY);
        assertThat(health(prober, "mixed").status()).as(health(prober, "mixed").lastError())
                .isEqualTo(HealthStatus.HEALTHY);
        assertThat(server.hostHeaders()).contains("loopback.tally.test:" + server.port(),
                "mixed.tally.test:" + server.port());
    }

    @Test
    void tlsKeepsTheNameInSniWhileConnectingToTheCheckedAddress(@TempDir Path dir) throws Exception {
        SniRecorder tls = new SniRecorder(dir);
        servers.add(tls);
        HealthProber prober = start("interval: 300ms\ntimeout: 1s\ntlsVerify: false\n",
                target("tls", "https://loopback.tally.test:" + tls.port() + "/"));
        awaitProbed(prober, 1);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tls.names.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(tls.names).contains("loopback.tally.test");
        // Verification on: the self-signed certificate is refused, as a tls failure.
        HealthProber verifying = start2("interval: 300ms\ntimeout: 1s\n",
                target("verified", "https://loopback.tally.test:" + tls.port() + "/"));
        awaitProbed(verifying, 1);
        assertThat(health(verifying, "verified").lastErrorClass()).isEqualTo("tls");
    }

    @Test
    void denyNetworksAddsAndAllowNetworksNarrows() throws Exception {
        CountingServer server = countingServer();
        HealthProber denying = start("interval: 300ms\ntimeout: 250ms\ndenyNetworks: [ \"127.0.0.0/8\", \"::1/128\" ]\n",
                target("loopback", "http://127.0.0.1:" + server.port() + "/"));
        awaitProbed(denying, 1);
        assertThat(health(denying, "loopback").lastErrorClass()).isEqualTo("denied");
        assertThat(health(denying, "loopback").lastError()).contains("denied network 127.0.0.0/8");
        HealthProber narrowed = start2("interval: 300ms\ntimeout: 250ms\nallowNetworks: [ \"10.0.0.0/8\" ]\n",
                target("narrowed", "http://127.0.0.1:" + server.port() + "/"));
        awaitProbed(narrowed, 1);
        assertThat(health(narrowed, "narrowed").lastError()).contains("outside health.allowNetworks");
        assertThat(server.requests.get()).isZero();
    }

    @Test
    void aTargetsOwnHeadersCannotNameAnotherHost() {
        // Host (and the client's other framing headers) are refused before a probe is ever built.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ProbeOverrides(null, null, null, null, null,
                Map.of("Host", "169.254.169.254"))).hasMessageContaining("'Host' cannot be set");
    }

    private HealthProber start(String yaml, Target... targets) throws Exception {
        HealthProber prober = YAML.readValue(yaml, HealthFactory.class).buildProber(environment);
        environment.manage(prober);
        environment.targets().publish(new TargetSet(List.of(targets), Instant.now()));
        environment.start();
        return prober;
    }

    /** A second prober in the same test, with a catalog of its own. */
    private HealthProber start2(String yaml, Target... targets) throws Exception {
        StandaloneEnvironment second = new StandaloneEnvironment();
        servers.add(second);
        HealthProber prober = YAML.readValue(yaml, HealthFactory.class).buildProber(second);
        second.manage(prober);
        second.targets().publish(new TargetSet(List.of(targets), Instant.now()));
        second.start();
        return prober;
    }

    private static Target target(String name, String url) {
        return new Target(name, TargetType.WEBHOOK, RedactedUrl.parse(url), true, Map.of(), "static", null);
    }

    private static TargetHealth health(HealthProber prober, String name) {
        return prober.states().stream().filter(h -> h.target().name().equals(name)).findFirst().orElseThrow();
    }

    private static void awaitProbed(HealthProber prober, int targets) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < until) {
            if (prober.states().size() == targets && prober.states().stream().allMatch(h -> h.checks() >= 2)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not every target probed twice: " + prober.states());
    }

    private CountingServer countingServer() throws Exception {
        CountingServer server = new CountingServer();
        servers.add(server);
        return server;
    }

    /** A loopback HTTP server that records each request's Host header. */
    private static final class CountingServer implements AutoCloseable {
        final AtomicInteger requests = new AtomicInteger();
        private final List<String> hosts = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        CountingServer() throws Exception {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                requests.incrementAndGet();
                hosts.add(exchange.getRequestHeaders().getFirst("Host"));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        List<String> hostHeaders() {
            return hosts;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** A TLS server on loopback that records the SNI name each client asked for, then answers 200. */
    private static final class SniRecorder implements AutoCloseable {
        final List<String> names = new CopyOnWriteArrayList<>();
        private final SSLServerSocket socket;

        SniRecorder(Path dir) throws Exception {
            Path keystore = dir.resolve("sni.p12");
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "sni", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=loopback.tally.test", "-ext", "SAN=dns:loopback.tally.test", "-storetype", "PKCS12",
                    "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                    .redirectErrorStream(true).start();
            keytool.getInputStream().readAllBytes();
            assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, "changeit".toCharArray());
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, "changeit".toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                    InetAddress.getLoopbackAddress());
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setSNIMatchers(List.of(new SNIMatcher(0) {
                @Override
                public boolean matches(SNIServerName name) {
                    names.add(((SNIHostName) name).getAsciiName());
                    return true;
                }
            }));
            socket.setSSLParameters(parameters);
            Thread.ofPlatform().daemon().name("sni-recorder").start(this::serve);
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (SSLSocket client = (SSLSocket) socket.accept()) {
                    client.setSoTimeout(2000);
                    client.startHandshake();
                    InputStream in = client.getInputStream();
                    byte[] buffer = new byte[4096];
                    in.read(buffer);
                    OutputStream out = client.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (Exception handshakeRefusedOrClosed) {
                    // a verifying client refuses the self-signed certificate; keep serving
                }
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
