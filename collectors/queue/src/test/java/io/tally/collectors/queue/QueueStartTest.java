package io.tally.collectors.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.StandaloneEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A broker that accepts the connection and never answers must not hold start-up past the source's
 * timeout; the source then says it is not connected, and why.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class QueueStartTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());
    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final List<Socket> accepted = new ArrayList<>();
    private ServerSocket silent;

    @AfterEach
    void close() throws Exception {
        environment.close();
        if (silent != null) {
            silent.close();
        }
        synchronized (accepted) {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    /** Accepts, reads whatever comes, never writes a byte. */
    private int silentBroker() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!silent.isClosed()) {
                try {
                    Socket socket = silent.accept();
                    synchronized (accepted) {
                        accepted.add(socket);
                    }
                    Thread.ofVirtual().start(() -> {
                        try (InputStream in = socket.getInputStream()) {
                            in.transferTo(OutputStreamSink.INSTANCE);
                        } catch (IOException closed) {
                            // the client gave up
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return silent.getLocalPort();
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    private void startIsBounded(String type, String uri) throws Exception {
        QueueSource source = YAML.readValue("""
                type: %s
                name: silent-%s
                uri: "%s"
                timeout: 1s
                backoff: 100ms
                queues: [ { name: tally.start.test } ]
                """.formatted(type, type, uri), QueueFactory.class).buildSource(environment);
        long start = System.nanoTime();
        source.start();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(seconds).as(type + " start waited no longer than its timeout (+ slack)").isLessThan(1.0 + 1.0);
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((!source.state().started() || source.state().connected()) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        double detected = (System.nanoTime() - start) / 1e9;
        assertThat(source.state().connected()).isFalse();
        // The poll as a whole, connect and handshake included, ended by its one deadline.
        assertThat(source.state().lastPollDuration()).as(type + " poll bounded by its deadline")
                .isLessThanOrEqualTo(source.pollDeadline().plusMillis(750));
        String error = source.state().lastError();
        assertThat(error).as(type).isNotBlank();
        source.stop();
        System.out.printf(Locale.ROOT, "FAULT| %s broker accepts the connection and never answers, at start-up "
                + "| start-up goes on after %.2f s; tally_queue_source_connected 0, last error \"%s\" "
                + "| detected in %.2f s | recovered in n/a (reconnects with backoff, as in BrokersTest)%n",
                type, seconds, error.substring(0, error.indexOf(':')), detected);
    }

    @Test
    void aSilentRabbitMqDoesNotHoldStart() throws Exception {
        startIsBounded("rabbitmq", "amqp://guest:guest@127.0.0.1:" + silentBroker() + "/");
    }

    @Test
    void aSilentRedisDoesNotHoldStart() throws Exception {
        startIsBounded("redis", "redis://127.0.0.1:" + silentBroker());
    }

    @Test
    void aSilentNatsDoesNotHoldStart() throws Exception {
        startIsBounded("nats", "nats://127.0.0.1:" + silentBroker());
    }
}
