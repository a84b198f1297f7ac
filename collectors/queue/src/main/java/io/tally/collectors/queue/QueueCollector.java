package io.tally.collectors.queue;

import io.tally.collectors.core.CollectionContext;
import io.tally.collectors.core.CollectionOutput;
import io.tally.collectors.core.Collector;
import io.tally.collectors.core.FragmentMemo;
import io.tally.collectors.core.catalog.Target;
import io.tally.collectors.core.catalog.TargetCatalog;
import io.tally.collectors.core.catalog.TargetSet;

/**
 * Reads a queue source's latest state. Unavailable while the broker is unreachable; it then still
 * writes the connection series (connected 0, reconnect attempts, errors).
 */
public final class QueueCollector implements Collector {
    private final QueueSource source;
    private final TargetCatalog targets;
    private final FragmentMemo series = new FragmentMemo();
    private final boolean everyTarget;

    public QueueCollector(QueueSource source, TargetCatalog targets) {
        this.source = source;
        this.targets = targets;
        this.everyTarget = source.feedsEveryTarget();
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public boolean isAvailable() {
        return source.state().connected();
    }

    @Override
    public String unavailableReason() {
        QueueState state = source.state();
        return state.started() ? state.lastError() : "not polled yet";
    }

    @Override
    public void collect(CollectionContext context, CollectionOutput out) {
        // The target set is part of the key only when it matters: a change of targets does not touch queue series.
        out.include(series.get(source.state(), everyTarget ? targets.current() : TargetSet.EMPTY, this::write));
    }

    /** Everything here follows from one poll's state and the target set ("*" queues): built once per pair. */
    private void write(QueueState state, TargetSet current, CollectionOutput out) {
        writeConnection(state, out);
        String name = source.name();
        String broker = source.broker();
        for (QueueStatus status : state.queues()) {
            QueueMapping m = status.mapping();
            QueueReading r = status.reading();
            String[] labels = status.labels();
            out.gauge(QueueMetrics.EXISTS, r.exists() ? 1 : 0, labels);
            out.gauge(QueueMetrics.DEPTH, r.depth(), labels);
            if (r.consumers() != null) {
                out.gauge(QueueMetrics.CONSUMERS, r.consumers(), labels);
            }
            if (r.unacked() != null) {
                out.gauge(QueueMetrics.UNACKED, r.unacked(), labels);
            }
            if (r.lag() != null) {
                out.gauge(QueueMetrics.LAG, r.lag(), labels);
            }
            if (r.redelivered() != null) {
                out.counter(QueueMetrics.REDELIVERED, r.redelivered(), labels);
            }
            if (m.capacity() != null) {
                out.gauge(QueueMetrics.CAPACITY, m.capacity(), labels);
                out.gauge(QueueMetrics.UTILIZATION, status.utilization(), labels);
            }
            if (r.offsets() != null) {
                out.gauge(QueueMetrics.PARTITIONS, r.offsets().partitions(), labels);
                if (r.offsets().group()) {
                    out.gauge(QueueMetrics.MAX_PARTITION_LAG, r.offsets().maxPartitionLag(), labels);
                }
            }
            if (status.messagesInPerSecond() != null) {
                out.gauge(QueueMetrics.MESSAGES_IN, status.messagesInPerSecond(), labels);
            }
            if (status.consumedPerSecond() != null) {
                out.gauge(QueueMetrics.CONSUMED, status.consumedPerSecond(), labels);
            }
            if (status.depthChangePerSecond() != null) {
                out.gauge(QueueMetrics.DEPTH_CHANGE, status.depthChangePerSecond(), labels);
            }
            for (QueueVerdict verdict : QueueVerdict.values()) {
                out.gauge(QueueMetrics.VERDICT, status.verdict() == verdict ? 1 : 0, name, broker, m.name(),
                        m.target(), m.priority(), m.role(), verdict.label());
            }
            QueueFact fact = status.fact();
            if (m.target().equals("*")) {
                for (Target target : current.targets()) {
                    out.fact(target.name(), fact);
                }
            } else {
                out.fact(m.target(), fact);
            }
        }
    }

    @Override
    public void collectUnavailable(CollectionContext context, CollectionOutput out) {
        QueueState state = source.state();
        if (state.started()) {
            writeConnection(state, out);
        }
    }

    private void writeConnection(QueueState state, CollectionOutput out) {
        String name = source.name();
        String broker = source.broker();
        out.gauge(QueueMetrics.CONNECTED, state.connected() ? 1 : 0, name, broker);
        out.counter(QueueMetrics.RECONNECTS, state.reconnectAttempts(), name, broker);
        out.gauge(QueueMetrics.POLL_DURATION, state.lastPollDuration().toNanos() / 1e9, name, broker);
        state.pollErrors().forEach((kind, n) -> out.counter(QueueMetrics.POLL_ERRORS, n, name, broker, kind));
        out.gauge(QueueMetrics.DROPPED, state.droppedQueues(), name, broker);
    }
}
