package io.tally.collectors.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.validation.BaseValidator;
import io.dropwizard.validation.ConstraintViolations;
import jakarta.validation.Validator;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Validated as Dropwizard validates config.yml: the same validator and the same message format. */
class QueueConfigTest {
    private static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());
    private static final Validator VALIDATOR = BaseValidator.newValidator();

    /** A list of factories, as under {@code queues:}, so that the path starts at the list element. */
    public static final class Queues {
        @jakarta.validation.Valid
        @com.fasterxml.jackson.annotation.JsonProperty
        public List<QueueFactory> queues;
    }

    private static Collection<String> violations(String yaml) throws Exception {
        return ConstraintViolations.format(VALIDATOR.validate(YAML.readValue(yaml, Queues.class)));
    }

    @Test
    void aRabbitmqGlobIsRefusedNamingTheKey() throws Exception {
        Collection<String> problems = violations("""
                queues:
                  - type: redis
                    name: r
                    uri: "redis://127.0.0.1:6379"
                    queues: [ { name: "jobs:*" } ]
                  - type: rabbitmq
                    name: rabbit
                    uri: "amqp://guest:guest@127.0.0.1:5672/"
                    queues: [ { name: publish.high }, { name: "publish.?" }, { name: "dlq.*" } ]
                """);

        assertThat(problems).containsExactly(
                "queues[1].queues[1].name rabbitmq cannot expand globs ('publish.?'): it cannot list queues, so"
                        + " name each queue",
                "queues[1].queues[2].name rabbitmq cannot expand globs ('dlq.*'): it cannot list queues, so"
                        + " name each queue");
    }

    @Test
    void globsAreAcceptedWhereTheBrokerCanList() throws Exception {
        assertThat(violations("""
                queues:
                  - type: redis
                    name: r
                    uri: "redis://127.0.0.1:6379"
                    queues: [ { name: "jobs:*" }, { name: "mail:?" } ]
                  - type: nats
                    name: n
                    uri: "nats://127.0.0.1:4222"
                    queues: [ { name: "PUBLISH_*" } ]
                  - type: rabbitmq
                    name: rabbit
                    uri: "amqp://guest:guest@127.0.0.1:5672/"
                    exclude: [ "*.tmp" ]
                    queues: [ { name: publish.high } ]
                  - type: kafka
                    name: k
                    uri: "kafka://127.0.0.1:9092"
                    properties: { security.protocol: PLAINTEXT }
                    queues: [ { name: "orders-*:workers" }, { name: "orders.dlq", role: dlq } ]
                """)).isEmpty();
    }

    @Test
    void aKafkaSourceNeedsAKafkaUri() throws Exception {
        assertThat(violations("""
                queues:
                  - type: kafka
                    name: k
                    uri: "http://127.0.0.1:9092"
                    queues: [ { name: "orders:workers" } ]
                """)).containsExactly("queues[0].uri must be kafka://host:port or kafka+ssl://host:port");
    }
}
