package io.tally.collectors.core;

/** Told of the snapshots the registry publishes, one at a time, in order, after the collecting lock is released. */
@FunctionalInterface
public interface SnapshotListener {
    void published(Snapshot snapshot);
}
