package io.tally.collectors.queue.kafka;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.tally.collectors.queue.BrokerClient;
import io.tally.collectors.queue.QueueFactory;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import java.util.Map;

/**
 * {@code type: kafka}: topics ({@code name: TOPIC}, the messages held) and consumer groups on them
 * ({@code name: TOPIC:GROUP}: lag, max partition lag, members, rates, Burrow-style verdict).
 * {@code properties} pass through to the Kafka client (SASL, TLS, extra bootstrap servers).
 */
@JsonTypeName("kafka")
public class KafkaQueueFactory extends QueueFactory {
    /** Kafka client settings, as in a client's .properties file; they override Tally's. */
    @NotNull
    @JsonProperty
    private Map<String, String> properties = Map.of();

    @Override
    protected boolean canListQueues() {
        return true;
    }

    @AssertTrue(message = "must be kafka://host:port or kafka+ssl://host:port")
    boolean isUri() {
        try {
            String scheme = uri().scheme();
            return scheme.equals("kafka") || scheme.equals("kafka+ssl");
        } catch (IllegalArgumentException | NullPointerException e) {
            return true;  // @NotEmpty on uri, or the parse at start-up, says what is wrong
        }
    }

    @Override
    protected BrokerClient client() {
        return new KafkaBrokerClient(uri(), "tally-" + getName(), properties == null ? Map.of() : properties);
    }
}
