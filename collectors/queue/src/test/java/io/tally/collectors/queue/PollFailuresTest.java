package io.tally.collectors.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.tally.collectors.core.StandaloneEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever goes wrong in a poll, not only a {@link BrokerException}, ends in the source's state:
 * unavailable, an error kind and a reason. Against the real brokers on this machine.
 */
@Timeout(60)
class PollFailuresTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());
    private final StandaloneEnvironment environment = new StandaloneEnvironment();

    @AfterEach
    void close() throws Exception {
        environment.close();
    }

    /** Built without validation, as a third-party wrapper or a test might: the poll must still not throw. */
    private QueueSource source(String yaml) throws Exception {
        return YAML.readValue(yaml, QueueFactory.class).buildSource(environment);
    }

    @Test
    void aRabbitmqGlobThatSlipsPastValidationShowsInTheStateNotAsAThrownPoll() throws Exception {
        QueueSource source = source("""
                type: rabbitmq
                name: rabbit
                uri: "amqp://guest:guest@127.0.0.1:5672/"
                queues: [ { name: "publish.*" } ]
                """);

        source.pollIfIdle();

        QueueState state = source.state();
        assertThat(state.started()).isTrue();
        assertThat(state.connected()).isFalse();
        assertThat(state.pollErrors()).containsEntry("internal", 1L);
        assertThat(state.lastError()).startsWith("internal: UnsupportedOperationException").contains("cannot list");
    }

    @Test
    void aRuntimeExceptionFromTheBrokerClientShowsInTheStateWithinOnePollInterval() throws Exception {
        // jnats refuses a stream name with a space by throwing IllegalArgumentException, not an IOException.
        QueueSource source = source("""
                type: nats
                name: nats
                uri: "nats://127.0.0.1:4222"
                pollInterval: 200ms
                backoff: 10ms
                maxBackoff: 20ms
                queues: [ { name: "NOT A STREAM" } ]
                """);
        environment.manage(source);
        environment.start();

        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (source.state().pollErrors().getOrDefault("internal", 0L) < 2 && System.nanoTime() < until) {
            Thread.sleep(20);
        }

        QueueState state = source.state();
        // Counted again on every scheduled poll: the schedule survives the failure.
        assertThat(state.pollErrors().get("internal")).isGreaterThanOrEqualTo(2L);
        assertThat(state.connected()).isFalse();
        assertThat(state.lastError()).startsWith("internal: IllegalArgumentException");
    }
}
