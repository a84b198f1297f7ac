package io.tally.collectors.queue;

import com.codahale.metrics.Clock;
import io.dropwizard.lifecycle.Managed;
import io.tally.collectors.core.Poller;
import io.tally.collectors.core.catalog.RedactedUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One broker connection, polled on a schedule. It connects at start, reads every mapped queue each
 * poll, keeps a window of depths per queue for the verdict, and when a call fails closes the
 * connection and reconnects with exponential, jittered backoff. Collection only ever reads the
 * latest {@link QueueState}; it never waits for the broker.
 */
public final class QueueSource implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(QueueSource.class);

    private final String name;
    private final BrokerClient client;
    private final RedactedUrl uri;
    private final List<QueueMapping> mappings;
    private final List<PathMatcher> exclude;
    private final int maxQueues;
    private final int window;
    private final Duration timeout;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    /** Runs the polls; its guard is held by the poll that uses the client, and by stop() while it closes it. */
    private final Poller poller;
    private final Map<String, ArrayDeque<long[]>> windows = new HashMap<>();
    /** Partition offsets over the window, for brokers whose readings carry them (Kafka). */
    private final Map<String, OffsetWindow> offsetWindows = new HashMap<>();
    private final Map<String, Long> pollErrors = new LinkedHashMap<>();
    private volatile QueueState state = QueueState.NOT_STARTED;
    private volatile boolean stopped;
    /** Guards {@code pollThread} and {@code interruptedByStop}: stop() interrupts only a poll still running. */
    private final Object pollerGuard = new Object();
    private Thread pollThread;
    private boolean interruptedByStop;
    /** Set by the watchdog when the poll in flight ran past its whole-poll deadline and was aborted. */
    private volatile boolean overran;
    private boolean everConnected;
    private boolean tracedUnexpected;
    private long reconnectAttempts;
    private Instant lastSuccess;

    QueueSource(QueueSettings settings, BrokerClient client, Clock clock, ScheduledExecutorService scheduler) {
        this.name = settings.name();
        this.client = client;
        this.uri = settings.uri();
        this.mappings = settings.mappings();
        this.exclude = settings.exclude().stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        this.maxQueues = settings.maxQueues();
        this.window = settings.window();
        this.timeout = settings.poll().timeout();
        this.clock = clock;
        this.scheduler = scheduler;
        this.poller = new Poller("tally-queue-" + name, settings.poll(), clock, scheduler, this::pollGuarded);
    }

    public String name() {
        return name;
    }

    public String broker() {
        return client.broker();
    }

    /** True when a queue may be mapped to every target ({@code target: "*"}), so its facts follow the target set. */
    public boolean feedsEveryTarget() {
        for (QueueMapping mapping : mappings) {
            if (mapping.target().equals("*")) {
                return true;
            }
        }
        return false;
    }

    public QueueState state() {
        return state;
    }

    /**
     * Polls once, so that the first snapshot shows the broker as it is rather than as not yet polled,
     * then on the schedule. Start-up waits for that first poll at most the source's timeout: a
     * broker's client may take a multiple of it (connect, then each call), and a poll that runs
     * longer finishes in the background while the source shows as not yet polled.
     */
    @Override
    public void start() throws InterruptedException {
        poller.runInBackground().join(timeout);
        poller.start();
    }

    /**
     * Ends the poll in flight (its broker call is aborted and its thread interrupted), waits for it
     * up to the broker timeout, and closes the connection. No poll connects after this: a poll that
     * starts later does nothing, and one that outlives the wait closes the client itself.
     */
    @Override
    public void stop() {
        stopped = true;
        poller.stop();
        boolean inFlight;
        synchronized (pollerGuard) {
            inFlight = pollThread != null;
            if (inFlight) {
                pollThread.interrupt();
                interruptedByStop = true;
            }
        }
        if (inFlight) {
            client.abort();
        }
        try {
            if (!poller.whenIdle(timeout, client::close)) {
                LOG.warn("Queue source {}: the poll in flight did not end within {} ms of shutdown; it closes the"
                        + " connection when it does", name, timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One poll now, on the caller's thread; skipped when a poll is already running or the source is stopped. */
    public void pollIfIdle() {
        poller.runIfIdle();
    }

    /** One poll, under the poller's guard: no other poll, nor stop()'s close, runs beside it. */
    private void pollGuarded() {
        synchronized (pollerGuard) {
            pollThread = Thread.currentThread();
        }
        ScheduledFuture<?> watchdog = null;
        try {
            if (!stopped) {
                overran = false;
                watchdog = scheduler.schedule(this::abortOverrunningPoll, pollDeadline().toMillis(),
                        TimeUnit.MILLISECONDS);
                poll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            synchronized (pollerGuard) {
                pollThread = null;
                if (interruptedByStop) {
                    // That interrupt was meant for this poll only, not for whatever the thread does next.
                    interruptedByStop = false;
                    Thread.interrupted();
                }
            }
            if (stopped) {
                // A poll that overlapped stop() may have connected: it leaves nothing open behind it.
                client.close();
            }
        }
    }

    /**
     * One deadline for a whole poll, connect and every read: each broker call is bounded by
     * {@code timeout}, but a client that takes one timeout per step (connect, then handshake commands)
     * could hold a poll several times as long. Twice the timeout covers a reconnect and the reads.
     */
    Duration pollDeadline() {
        return timeout.multipliedBy(2);
    }

    /** Runs on the shared timer: aborting closes a socket, which is quick, on a thread of its own anyway. */
    private void abortOverrunningPoll() {
        synchronized (pollerGuard) {
            if (pollThread == null || stopped) {
                return;
            }
            overran = true;
        }
        Thread.ofVirtual().name("tally-queue-abort-" + name).start(client::abort);
    }

    private void poll() throws InterruptedException {
        long start = clock.getTick();
        try {
            if (!client.isConnected()) {
                if (poller.backingOff(start)) {
                    publish(false, start, state.lastError(), state.droppedQueues());
                    return;
                }
                if (everConnected || poller.failures() > 0) {
                    reconnectAttempts++;
                }
                client.connect(timeout);
                if (poller.failures() > 0 || everConnected) {
                    LOG.info("Queue source {} connected to {}", name, uri);
                }
                everConnected = true;
                poller.recovered();
            }
            List<QueueMapping> resolved = new ArrayList<>();
            int dropped = resolve(resolved);
            List<String> names = resolved.stream().map(QueueMapping::name).toList();
            List<QueueReading> readings = client.read(names, timeout);
            long now = clock.getTick();
            List<QueueStatus> statuses = new ArrayList<>(readings.size());
            for (int i = 0; i < readings.size(); i++) {
                statuses.add(judge(resolved.get(i), readings.get(i), now));
            }
            // A set: retainAll asks contains() once per window, and a list would make that quadratic.
            Set<String> live = new HashSet<>(names);
            windows.keySet().retainAll(live);
            offsetWindows.keySet().retainAll(live);
            lastSuccess = Instant.ofEpochMilli(clock.getTime());
            state = new QueueState(true, true, reconnectAttempts, pollErrors,
                    Duration.ofNanos(clock.getTick() - start), lastSuccess, null, statuses, dropped);
        } catch (BrokerException e) {
            failed(start, e.kind(), e.getMessage(), null);
        } catch (RuntimeException | LinkageError e) {
            // A client library's bug or an answer it did not expect: shown like a broker error, so
            // that the source turns unavailable with a reason instead of silently keeping old figures.
            failed(start, "internal", e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private void failed(long start, String kind, String text, Throwable unexpected) {
        if (stopped) {
            return;  // the call was aborted by stop(): not the broker's failure
        }
        if (overran) {
            // Whatever the aborted call threw, the poll failed because it ran out of time.
            kind = "timeout";
            text = "poll did not finish within " + pollDeadline().toMillis() + " ms (connect and reads)";
        }
        pollErrors.merge(kind, 1L, Long::sum);
        int failures = poller.failed();
        String message = uri.scrub(String.valueOf(text));
        if (unexpected != null && !tracedUnexpected) {
            // Where it was thrown, once per source: enough to report the bug. Not the exception itself,
            // whose message (unscrubbed) may hold the URI's password.
            tracedUnexpected = true;
            StackTraceElement[] frames = unexpected.getStackTrace();
            LOG.warn("Queue source {} ({}) failed unexpectedly: {} (at {}); reconnecting with backoff", name, uri,
                    message, frames.length == 0 ? "unknown" : frames[0]);
        } else if (failures == 1) {
            LOG.warn("Queue source {} ({}) failed: {}; reconnecting with backoff", name, uri, message);
        }
        publish(false, start, kind + ": " + message, state.droppedQueues());
        // After publishing: closing a connection to a broker that hangs can itself wait for the timeout.
        client.close();
    }

    private void publish(boolean connected, long start, String error, int dropped) {
        state = new QueueState(true, connected, reconnectAttempts, pollErrors,
                Duration.ofNanos(clock.getTick() - start), lastSuccess, error, List.of(), dropped);
    }

    private int resolve(List<QueueMapping> out) throws BrokerException, InterruptedException {
        int matched = 0;
        Set<String> seen = new HashSet<>();
        for (QueueMapping mapping : mappings) {
            List<String> names = mapping.isPattern() ? client.list(mapping.name(), timeout) : List.of(mapping.name());
            for (String queue : names) {
                // The first mapping that matches a queue wins; a queue beyond maxQueues is counted, not reported.
                if (excluded(queue) || !seen.add(queue)) {
                    continue;
                }
                matched++;
                if (out.size() < maxQueues) {
                    out.add(mapping.resolved(queue));
                }
            }
        }
        return matched - out.size();
    }

    private boolean excluded(String queue) {
        Path path = Path.of(queue.replace('/', '_'));
        for (PathMatcher matcher : exclude) {
            if (matcher.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private QueueStatus judge(QueueMapping mapping, QueueReading reading, long now) {
        ArrayDeque<long[]> depths = windows.computeIfAbsent(mapping.name(), q -> new ArrayDeque<>());
        depths.addLast(new long[] {now, reading.depth()});
        while (depths.size() > window) {
            depths.removeFirst();
        }
        List<Long> series = depths.stream().map(p -> p[1]).toList();
        Double rate = null;
        if (depths.size() >= 2) {
            long[] first = depths.peekFirst();
            long[] last = depths.peekLast();
            double seconds = (last[0] - first[0]) / 1e9;
            rate = seconds > 0 ? (last[1] - first[1]) / seconds : null;
        }
        if (reading.offsets() == null) {
            offsetWindows.remove(mapping.name());
            return QueueStatus.of(name, client.broker(), mapping, reading,
                    QueueVerdict.judge(series, window, reading.consumers()), rate, null, null);
        }
        OffsetWindow offsets = offsetWindows.computeIfAbsent(mapping.name(), q -> new OffsetWindow(window));
        offsets.add(now, reading.offsets());
        // A consumer group is judged by its committed offsets (Burrow's rules); a topic alone by its depth.
        QueueVerdict verdict = reading.offsets().group() ? offsets.verdict(reading.consumers())
                : QueueVerdict.judge(series, window, reading.consumers());
        return QueueStatus.of(name, client.broker(), mapping, reading, verdict, rate, offsets.messagesInPerSecond(),
                offsets.consumedPerSecond());
    }
}
