package io.tally.collectors.core;

/** Told of every snapshot the registry publishes, on the collecting thread, in order. */
@FunctionalInterface
public interface SnapshotListener {
    void published(Snapshot snapshot);
}
