package io.tally.collectors.queue.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tally.collectors.core.catalog.RedactedUrl;
import io.tally.collectors.queue.BrokerClient;
import io.tally.collectors.queue.BrokerException;
import io.tally.collectors.queue.QueueReading;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis through Lettuce. A list's depth is {@code LLEN}. A stream with consumer groups: depth is
 * what the busiest group has not finished (lag plus pending), consumers are summed over groups,
 * unacked is the groups' pending; a stream without groups: depth is {@code XLEN}. A key that does
 * not exist reads as an empty, missing queue. Lettuce's own reconnect is off: {@code QueueSource}
 * reconnects and counts.
 */
final class RedisBrokerClient implements BrokerClient {
    private final RedactedUrl uri;
    private volatile RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;

    RedisBrokerClient(RedactedUrl uri) {
        this.uri = uri;
    }

    @Override
    public String broker() {
        return "redis";
    }

    @Override
    public void connect(Duration timeout) throws BrokerException {
        close();
        RedisURI redisUri;
        try {
            redisUri = RedisURI.create(uri.reveal());
        } catch (IllegalArgumentException e) {
            throw new BrokerException("protocol", "invalid Redis uri " + uri);
        }
        redisUri.setTimeout(timeout);
        // Lettuce's synchronous connect waits the timeout once per handshake step (HELLO, CLIENT
        // SETINFO, ...), and its first use sets up event loops and a resolver before any of them:
        // against a peer that accepts and never answers, or on a busy machine, that is several
        // timeouts. The whole connect runs on a thread of its own and is waited for once.
        java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            connection = io.tally.collectors.core.http.Deadline.after(timeout).await("tally-redis-connect", () -> {
                RedisClient creating = RedisClient.create(redisUri);
                creating.setOptions(ClientOptions.builder().autoReconnect(false)
                        .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                        .timeoutOptions(TimeoutOptions.enabled(timeout)).build());
                synchronized (abandoned) {
                    if (abandoned.get()) {
                        // The caller gave up before the client existed: nobody else will shut it down.
                        creating.shutdownAsync(0, 1, java.util.concurrent.TimeUnit.SECONDS);
                        throw new java.util.concurrent.CancellationException("abandoned");
                    }
                    client = creating;
                }
                return creating.connectAsync(io.lettuce.core.codec.StringCodec.UTF8, redisUri).toCompletableFuture()
                        .get();
            });
            connection.setTimeout(timeout);
        } catch (java.util.concurrent.TimeoutException e) {
            synchronized (abandoned) {
                abandoned.set(true);
            }
            // Shutting the client down also closes a connection it completes later.
            close();
            throw new BrokerException("timeout", "Redis at " + uri + " did not complete the connection within "
                    + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new BrokerException("connect", "connecting to " + uri + " was interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            close();
            Throwable cause = e.getCause() instanceof java.util.concurrent.ExecutionException nested
                    && nested.getCause() != null ? nested.getCause() : e.getCause();
            String text = String.valueOf(cause.getMessage())
                    + (cause.getCause() == null ? "" : " " + cause.getCause().getMessage());
            throw new BrokerException(text.contains("NOAUTH") || text.contains("WRONGPASS") ? "auth" : "connect",
                    "cannot connect to " + uri + ": " + uri.scrub(text));
        }
    }

    @Override
    public boolean isConnected() {
        return connection != null && connection.isOpen();
    }

    @Override
    public List<QueueReading> read(List<String> queues, Duration timeout) throws BrokerException {
        RedisCommands<String, String> redis = connection.sync();
        List<QueueReading> out = new ArrayList<>(queues.size());
        try {
            for (String key : queues) {
                String type = redis.type(key);
                switch (type) {
                    case "list" -> out.add(new QueueReading(key, true, redis.llen(key), null, null, null, null));
                    case "stream" -> out.add(stream(redis, key));
                    case "none" -> out.add(new QueueReading(key, false, 0, null, null, null, null));
                    default -> throw new BrokerException("protocol", "key '" + key + "' is a " + type
                            + ", not a list or stream");
                }
            }
        } catch (RedisCommandTimeoutException e) {
            throw new BrokerException("timeout", "Redis at " + uri + " did not answer within " + timeout.toMillis() + " ms");
        } catch (RedisConnectionException e) {
            throw new BrokerException("connect", "connection to " + uri + " lost");
        } catch (RedisException e) {
            throw new BrokerException("io", uri.scrub(String.valueOf(e.getMessage())));
        }
        return out;
    }

    private static QueueReading stream(RedisCommands<String, String> redis, String key) {
        long length = redis.xlen(key);
        List<Object> groups = redis.xinfoGroups(key);
        if (groups.isEmpty()) {
            return new QueueReading(key, true, length, null, null, null, null);
        }
        int consumers = 0;
        long pending = 0;
        long depth = 0;
        Long maxLag = null;
        for (Object group : groups) {
            List<?> fields = (List<?>) group;
            long groupPending = 0;
            Long groupLag = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String field = String.valueOf(fields.get(i));
                Object value = fields.get(i + 1);
                switch (field) {
                    case "consumers" -> consumers += ((Number) value).intValue();
                    case "pending" -> groupPending = ((Number) value).longValue();
                    case "lag" -> groupLag = value instanceof Number n ? n.longValue() : null;
                    default -> {
                        // name, last-delivered-id, entries-read: not needed
                    }
                }
            }
            pending += groupPending;
            long groupDepth = groupPending + (groupLag == null ? 0 : groupLag);
            depth = Math.max(depth, groupDepth);
            if (groupLag != null) {
                maxLag = maxLag == null ? groupLag : Math.max(maxLag, groupLag);
            }
        }
        return new QueueReading(key, true, depth, consumers, pending, maxLag, null);
    }

    @Override
    public List<String> list(String glob, Duration timeout) throws BrokerException {
        List<String> keys = new ArrayList<>();
        try {
            RedisCommands<String, String> redis = connection.sync();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(glob).limit(1000));
                keys.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished() && keys.size() < 100_000);
        } catch (RedisException e) {
            throw new BrokerException("io", "SCAN failed on " + uri);
        }
        keys.sort(null);
        return keys;
    }

    /** Lettuce is thread-safe: closing fails the command in flight; shutting the client down fails a connect. */
    @Override
    public void abort() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            open.closeAsync();
        }
        RedisClient opening = client;
        if (opening != null) {
            opening.shutdownAsync(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.closeAsync();
            connection = null;
        }
        if (client != null) {
            client.shutdownAsync(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            client = null;
        }
    }
}
