package io.tally.collectors.queue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last polls' partition offsets of one queue (a Kafka topic, with or without a consumer group):
 * rates over the window and, for a group, the verdict by Burrow's partition rules
 * (linkedin/Burrow, core/internal/evaluator/caching.go, {@code calculatePartitionStatus}), with
 * Burrow's default allowed lag of 0. Per partition, where its current lag is above 0:
 * <ol>
 *   <li>{@code stopped} (Burrow rule 3, STOP): the group has no members, so nobody commits, unless
 *       the log end was at or below the last committed offset at some poll of the window (Burrow's
 *       "recent lag zero", which delays the alarm while the group was caught up moments ago).
 *       The Admin API gives no commit timestamps, so "stopped committing" is read from the members
 *       rather than from commit times;</li>
 *   <li>a rewind (Burrow rule 2, REWIND): the committed offset went back and has not returned to
 *       where it was: {@code warn}, as Tally has no rewind verdict;</li>
 *   <li>until the window is full, {@code ok} (Burrow judges whatever commits it stored; Tally waits
 *       for a full window, as its depth verdict does, so that a restart does not flag a partition);</li>
 *   <li>if the lag was above 0 at every poll of the window (Burrow rule 1): {@code stalled} when the
 *       committed offset never moved (rule 4, STALL), {@code warn} when the lag never fell (rule 5);</li>
 *   <li>{@code ok} otherwise.</li>
 * </ol>
 * The queue's verdict is its worst partition's (stopped, stalled, warn, ok), as Burrow's group
 * status is its worst partition's.
 */
final class OffsetWindow {
    private record Sample(long tick, PartitionOffsets offsets) {
    }

    private final int window;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    OffsetWindow(int window) {
        this.window = window;
    }

    /** Adds a poll's reading; a change in the partition count starts the window again. */
    void add(long tick, PartitionOffsets offsets) {
        Sample last = samples.peekLast();
        if (last != null && last.offsets().partitions() != offsets.partitions()) {
            samples.clear();
        }
        samples.addLast(new Sample(tick, offsets));
        while (samples.size() > window) {
            samples.removeFirst();
        }
    }

    /** Messages written per second over the window (log-end offsets' rate); null before two polls. */
    Double messagesInPerSecond() {
        return rate(true);
    }

    /** Messages consumed per second over the window (committed offsets' rate); null for a topic alone. */
    Double consumedPerSecond() {
        return samples.isEmpty() || !samples.peekLast().offsets().group() ? null : rate(false);
    }

    private Double rate(boolean logEnd) {
        if (samples.size() < 2) {
            return null;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        double seconds = (last.tick() - first.tick()) / 1e9;
        long delta = logEnd ? last.offsets().logEndSum() - first.offsets().logEndSum()
                : last.offsets().positionSum() - first.offsets().positionSum();
        // A topic deleted and created again, or offsets reset: no honest rate over this window.
        return seconds <= 0 || delta < 0 ? null : delta / seconds;
    }

    QueueVerdict verdict(Integer members) {
        if (samples.isEmpty()) {
            return QueueVerdict.OK;
        }
        List<PartitionOffsets> series = new ArrayList<>(samples.size());
        for (Sample sample : samples) {
            series.add(sample.offsets());
        }
        return judge(series, window, members);
    }

    /** The verdict over {@code series} (oldest first, same partition count), as the class comment says. */
    static QueueVerdict judge(List<PartitionOffsets> series, int window, Integer members) {
        QueueVerdict worst = QueueVerdict.OK;
        int partitions = series.get(series.size() - 1).partitions();
        for (int p = 0; p < partitions; p++) {
            QueueVerdict verdict = partition(series, p, window, members);
            if (verdict.ordinal() > worst.ordinal()) {
                worst = verdict;
            }
        }
        return worst;
    }

    private static QueueVerdict partition(List<PartitionOffsets> series, int p, int window, Integer members) {
        PartitionOffsets last = series.get(series.size() - 1);
        if (last.lag(p) <= 0) {
            return QueueVerdict.OK;
        }
        if (members != null && members == 0 && !recentLagZero(series, p)) {
            return QueueVerdict.STOPPED;
        }
        int rewind = rewindIndex(series, p);
        if (rewind > 0 && !rewindRecovered(series, p, rewind)) {
            return QueueVerdict.WARN;
        }
        if (series.size() < window) {
            return QueueVerdict.OK;
        }
        for (PartitionOffsets sample : series) {
            if (sample.lag(p) <= 0) {
                return QueueVerdict.OK;
            }
        }
        boolean moved = false;
        boolean lagFell = false;
        for (int i = 1; i < series.size(); i++) {
            moved |= series.get(i).position(p) != series.get(i - 1).position(p);
            lagFell |= series.get(i).lag(p) < series.get(i - 1).lag(p);
        }
        if (!moved) {
            return QueueVerdict.STALLED;
        }
        return lagFell ? QueueVerdict.OK : QueueVerdict.WARN;
    }

    private static boolean recentLagZero(List<PartitionOffsets> series, int p) {
        long committed = series.get(series.size() - 1).position(p);
        for (PartitionOffsets sample : series) {
            if (sample.logEnd()[p] <= committed) {
                return true;
            }
        }
        return false;
    }

    private static int rewindIndex(List<PartitionOffsets> series, int p) {
        for (int i = 1; i < series.size(); i++) {
            if (series.get(i).position(p) < series.get(i - 1).position(p)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean rewindRecovered(List<PartitionOffsets> series, int p, int rewind) {
        long before = series.get(rewind - 1).position(p);
        for (int i = rewind; i < series.size(); i++) {
            if (series.get(i).position(p) >= before) {
                return true;
            }
        }
        return false;
    }
}
