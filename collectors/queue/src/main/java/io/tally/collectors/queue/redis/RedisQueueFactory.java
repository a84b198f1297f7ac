package io.tally.collectors.queue.redis;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.tally.collectors.queue.BrokerClient;
import io.tally.collectors.queue.QueueFactory;

/** {@code type: redis}: list lengths, and stream lengths with consumer groups' pending and lag. */
@JsonTypeName("redis")
public class RedisQueueFactory extends QueueFactory {
    @Override
    protected boolean canListQueues() {
        return true;
    }

    @Override
    protected BrokerClient client() {
        return new RedisBrokerClient(uri());
    }
}
