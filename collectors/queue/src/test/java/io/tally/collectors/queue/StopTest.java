package io.tally.collectors.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.StandaloneEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shutdown against the real brokers, behind a proxy that stalls: {@code stop()} ends the poll in
 * flight (whose broker call would otherwise wait for the 30 s timeout), leaves no connection open,
 * and no poll after it connects again.
 */
@Timeout(120)
class StopTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());
    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(30);
    private final StandaloneEnvironment environment = new StandaloneEnvironment();
    private final String id = UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void close() throws Exception {
        environment.close();
    }

    private QueueSource source(String broker, int port) throws Exception {
        String uri = switch (broker) {
            case "rabbitmq" -> "amqp://guest:guest@127.0.0.1:%d/";
            case "redis" -> "redis://127.0.0.1:%d";
            default -> "nats://127.0.0.1:%d";
        };
        return YAML.readValue("""
                type: %s
                name: %s
                uri: "%s"
                timeout: %ds
                backoff: 10ms
                maxBackoff: 20ms
                queues: [ { name: "TALLY_STOP_%s" } ]
                """.formatted(broker, broker, uri.formatted(port), BROKER_TIMEOUT.toSeconds(), id),
                QueueFactory.class).buildSource(environment);
    }

    private static int brokerPort(String broker) {
        return switch (broker) {
            case "rabbitmq" -> 5672;
            case "redis" -> 6379;
            default -> 4222;
        };
    }

    /**
     * {@code phase = read}: connected, then the broker hangs during the poll's read.
     * {@code phase = connect}: the broker hangs from the start, so the poll hangs while connecting.
     */
    @ParameterizedTest(name = "{0} stalled while the poll {1}s")
    @CsvSource({"rabbitmq, read", "redis, read", "nats, read", "rabbitmq, connect", "redis, connect", "nats, connect"})
    void stopEndsTheInFlightPollAndNothingReconnectsAfterIt(String broker, String phase) throws Exception {
        try (TcpProxy proxy = new TcpProxy(brokerPort(broker))) {
            QueueSource source = source(broker, proxy.port());
            if (phase.equals("read")) {
                source.pollIfIdle();
                assertThat(source.state().connected()).as(String.valueOf(source.state().lastError())).isTrue();
            }
            proxy.stall();
            Thread poll = Thread.ofVirtual().start(source::pollIfIdle);
            await(() -> proxy.held() > 0, "the poll's first bytes wait behind the stall");

            long stopping = System.nanoTime();
            source.stop();
            double stopSeconds = (System.nanoTime() - stopping) / 1e9;
            assertThat(poll.join(Duration.ofSeconds(10))).as("the poll in flight ended well before its "
                    + BROKER_TIMEOUT.toSeconds() + " s timeout").isTrue();
            double pollEndSeconds = (System.nanoTime() - stopping) / 1e9;
            int acceptedAtStop = proxy.accepted();

            proxy.resume();
            // As scheduled polls that fire after stop() would, for well over the 20 ms reconnect backoff.
            long until = System.nanoTime() + Duration.ofMillis(500).toNanos();
            while (System.nanoTime() < until) {
                source.pollIfIdle();
                Thread.sleep(25);
            }
            await(() -> proxy.open() == 0, "no connection left open after stop()");
            assertThat(proxy.accepted()).as("connections after stop()").isEqualTo(acceptedAtStop);
            System.out.printf("FAULT| %s hangs mid-%s, then shutdown | stop() returns in %.2f s; poll in flight ends,"
                            + " no reconnect, no connection left | detected in n/a | recovered in %.2f s (poll ended)%n",
                    broker, phase, stopSeconds, pollEndSeconds);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as(what + " within 10 s").isTrue();
    }
}
