package io.tally.collectors.queue.nats;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.tally.collectors.queue.BrokerClient;
import io.tally.collectors.queue.QueueFactory;

/**
 * {@code type: nats}: JetStream streams ({@code name: STREAM}) and consumers
 * ({@code name: STREAM:CONSUMER}): pending, ack pending, redelivered.
 */
@JsonTypeName("nats")
public class NatsQueueFactory extends QueueFactory {
    @Override
    protected boolean canListQueues() {
        return true;
    }

    @Override
    protected BrokerClient client() {
        return new NatsBrokerClient(uri());
    }
}
