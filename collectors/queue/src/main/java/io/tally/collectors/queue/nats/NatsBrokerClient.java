package io.tally.collectors.queue.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StreamInfo;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.queue.BrokerClient;
import io.tally.collectors.queue.BrokerException;
import io.tally.collectors.queue.QueueReading;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * NATS JetStream through jnats. A stream's depth is its message count (a work-queue stream holds
 * what is not yet acknowledged); a consumer's depth is its pending plus ack-pending messages.
 * Consumers are the stream's consumer count. jnats' own reconnect is off: {@code QueueSource}
 * reconnects and counts.
 */
final class NatsBrokerClient implements BrokerClient {
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int CONSUMER_NOT_FOUND = 10014;

    private final RedactedUrl uri;
    private volatile Connection connection;
    private JetStreamManagement jsm;

    NatsBrokerClient(RedactedUrl uri) {
        this.uri = uri;
    }

    @Override
    public String broker() {
        return "nats";
    }

    @Override
    public void connect(Duration timeout) throws BrokerException, InterruptedException {
        close();
        Options options = new Options.Builder().server(uri.reveal().toString()).connectionTimeout(timeout)
                .noReconnect().connectionName("tally")
                .errorListener(new ErrorListener() {
                })
                .connectionListener((ConnectionListener) (conn, type) -> {
                })
                .build();
        try {
            connection = Nats.connect(options);
            jsm = connection.jetStreamManagement(JetStreamOptions.builder().requestTimeout(timeout).build());
        } catch (IOException e) {
            close();
            String text = String.valueOf(e.getMessage());
            throw new BrokerException(text.toLowerCase().contains("authoriz") ? "auth" : "connect",
                    "cannot connect to " + uri + ": " + uri.scrub(text));
        }
    }

    @Override
    public boolean isConnected() {
        return connection != null && connection.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public List<QueueReading> read(List<String> queues, Duration timeout) throws BrokerException {
        List<QueueReading> out = new ArrayList<>(queues.size());
        for (String queue : queues) {
            int colon = queue.indexOf(':');
            String stream = colon < 0 ? queue : queue.substring(0, colon);
            String consumer = colon < 0 ? null : queue.substring(colon + 1);
            try {
                StreamInfo info = jsm.getStreamInfo(stream);
                int consumers = (int) info.getStreamState().getConsumerCount();
                if (consumer == null) {
                    out.add(new QueueReading(queue, true, info.getStreamState().getMsgCount(), consumers, null, null,
                            null));
                } else {
                    ConsumerInfo ci = jsm.getConsumerInfo(stream, consumer);
                    out.add(new QueueReading(queue, true, ci.getNumPending() + ci.getNumAckPending(), consumers,
                            ci.getNumAckPending(), ci.getNumPending(), ci.getRedelivered()));
                }
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() == STREAM_NOT_FOUND || e.getApiErrorCode() == CONSUMER_NOT_FOUND
                        || e.getErrorCode() == 404) {
                    out.add(new QueueReading(queue, false, 0, null, null, null, null));
                } else {
                    throw new BrokerException("protocol", "JetStream said " + e.getErrorCode() + " for '" + queue + "'");
                }
            } catch (IOException e) {
                Throwable cause = e.getCause();
                throw new BrokerException(cause instanceof TimeoutException || String.valueOf(e.getMessage())
                        .toLowerCase().contains("timeout") ? "timeout" : "io",
                        "JetStream request for '" + queue + "' failed: " + uri.scrub(String.valueOf(e.getMessage())));
            } catch (IllegalStateException e) {
                throw new BrokerException("connect", "connection to " + uri + " closed");
            }
        }
        return out;
    }

    @Override
    public List<String> list(String glob, Duration timeout) throws BrokerException {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try {
            List<String> names = new ArrayList<>();
            for (String name : jsm.getStreamNames()) {
                if (matcher.matches(Path.of(name))) {
                    names.add(name);
                }
            }
            names.sort(null);
            return names;
        } catch (IOException | JetStreamApiException e) {
            throw new BrokerException("io", "cannot list streams on " + uri);
        }
    }

    /** jnats is thread-safe: closing fails the request in flight. */
    @Override
    public void abort() {
        Connection open = connection;
        if (open != null) {
            try {
                open.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connection = null;
            jsm = null;
        }
    }
}
