package io.tally.collectors.queue.rabbitmq;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.tally.collectors.queue.BrokerClient;
import io.tally.collectors.queue.QueueFactory;

/** {@code type: rabbitmq}: queue depth and consumers by passive declare over AMQP. */
@JsonTypeName("rabbitmq")
public class RabbitQueueFactory extends QueueFactory {
    @Override
    protected BrokerClient client() {
        return new RabbitBrokerClient(uri());
    }
}
