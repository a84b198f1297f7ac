package io.tally.collectors.queue.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.SocketConfigurators;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.queue.BrokerClient;
import io.tally.collectors.queue.BrokerException;
import io.tally.collectors.queue.QueueReading;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * AMQP 0-9-1: {@code queue.declare(passive)} answers depth (ready messages) and consumer count
 * without changing anything. A missing queue closes the channel with 404; it is reopened. The
 * client's own recovery is off: {@code QueueSource} reconnects, so that attempts are counted.
 */
final class RabbitBrokerClient implements BrokerClient {
    private final RedactedUrl uri;
    private Connection connection;
    private Channel channel;
    /** The socket of the connection being opened or open: closing it fails any call, the handshake too. */
    private volatile Socket socket;

    RabbitBrokerClient(RedactedUrl uri) {
        this.uri = uri;
    }

    @Override
    public String broker() {
        return "rabbitmq";
    }

    @Override
    public void connect(Duration timeout) throws BrokerException {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            java.net.URI raw = uri.reveal();
            // By the AMQP URI spec "amqp://host/" names the empty vhost; people writing it mean the
            // default vhost "/", as the client does for "amqp://host". "%2F" still names "/" explicitly.
            if ("/".equals(raw.getRawPath())) {
                raw = new java.net.URI(raw.getScheme(), raw.getRawUserInfo() == null ? null : raw.getUserInfo(),
                        raw.getHost(), raw.getPort(), null, raw.getQuery(), null);
            }
            factory.setUri(raw);
        } catch (Exception e) {
            throw new BrokerException("protocol", "invalid AMQP uri " + uri);
        }
        int millis = (int) Math.max(1, timeout.toMillis());
        factory.setConnectionTimeout(millis);
        factory.setHandshakeTimeout(millis);
        factory.setChannelRpcTimeout(millis);
        factory.setShutdownTimeout(millis);
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        factory.setRequestedHeartbeat(10);
        // RPCs and the handshake wait uninterruptibly; closing the socket is what ends them early.
        factory.setSocketConfigurator(SocketConfigurators.defaultConfigurator().andThen(s -> socket = s));
        try {
            connection = factory.newConnection("tally");
            channel = connection.createChannel();
        } catch (com.rabbitmq.client.AuthenticationFailureException e) {
            close();
            throw new BrokerException("auth", "authentication failed at " + uri);
        } catch (IOException | TimeoutException e) {
            close();
            throw new BrokerException(e instanceof TimeoutException ? "timeout" : "connect",
                    "cannot connect to " + uri + ": " + uri.scrub(String.valueOf(e.getMessage())));
        }
    }

    @Override
    public boolean isConnected() {
        return connection != null && connection.isOpen() && channel != null && channel.isOpen();
    }

    @Override
    public List<QueueReading> read(List<String> queues, Duration timeout) throws BrokerException {
        List<QueueReading> out = new ArrayList<>(queues.size());
        for (String queue : queues) {
            try {
                AMQP.Queue.DeclareOk ok = channel.queueDeclarePassive(queue);
                out.add(new QueueReading(queue, true, ok.getMessageCount(), ok.getConsumerCount(), null, null, null));
            } catch (com.rabbitmq.client.ChannelContinuationTimeoutException e) {
                throw new BrokerException("timeout", "passive declare of '" + queue + "' timed out");
            } catch (IOException e) {
                if (!notFound(e)) {
                    throw new BrokerException("io", "passive declare of '" + queue + "' failed: "
                            + uri.scrub(String.valueOf(e.getMessage())));
                }
                out.add(new QueueReading(queue, false, 0, null, null, null, null));
                reopenChannel();
            } catch (ShutdownSignalException e) {
                throw new BrokerException("connect", "connection to " + uri + " closed");
            }
        }
        return out;
    }

    private static boolean notFound(IOException e) {
        return e.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == 404;
    }

    private void reopenChannel() throws BrokerException {
        try {
            channel = connection.createChannel();
        } catch (IOException e) {
            throw new BrokerException("io", "cannot reopen channel on " + uri);
        }
    }

    @Override
    public void abort() {
        Socket open = socket;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }

    @Override
    public void close() {
        try {
            if (connection != null && connection.isOpen()) {
                connection.close(1000);
            }
        } catch (Exception ignored) {
            // already gone
        }
        abort();
        connection = null;
        channel = null;
        socket = null;
    }
}
