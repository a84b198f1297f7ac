package io.tally.collectors.core;

/**
 * The plugin contract. A collector reads state that its source keeps fresh in the background and
 * writes it out; it does no I/O on the collection path. It runs on a virtual thread under the
 * registry's deadline and is interrupted when it overruns.
 */
public interface Collector {

    /** Stable and unique: used as the {@code collector} label and in {@code /stats}. */
    String name();

    /**
     * False when the source has nothing to offer (broker unreachable, not started yet). Called on
     * the collecting thread: must be cheap and must not block. An unavailable collector is
     * reported, not called.
     */
    boolean isAvailable();

    /**
     * Why the source has nothing to offer while {@link #isAvailable} is false (the broker refused the
     * connection, the last scrape timed out), shown with the {@code unavailable} outcome in
     * {@code /stats}; null when there is nothing to say. Called on the collecting thread: cheap, no
     * I/O, and never a secret (a URL in it must be redacted).
     */
    default String unavailableReason() {
        return null;
    }

    /**
     * Writes samples and per-target facts into {@code out}. Must respect the deadline and
     * interruption, and must not keep a reference to {@code out} after returning.
     */
    void collect(CollectionContext context, CollectionOutput out) throws InterruptedException;

    /**
     * Called instead of {@link #collect} while the collector is unavailable, under the same
     * deadline: writes what is still known about the source itself (connected 0, reconnect
     * attempts), so that those series do not vanish exactly when they matter. The outcome stays
     * {@code unavailable}. Most collectors have nothing to say here.
     */
    default void collectUnavailable(CollectionContext context, CollectionOutput out) throws InterruptedException {
    }
}
