package io.tally.collectors.discovery;

import java.time.Duration;

/** Where targets come from: config, files, an http_sd endpoint, DNS, Kubernetes Secrets. */
public interface TargetSource {

    /** Unique among the sources; the {@code source} label and each target's {@code source}. */
    String name();

    /** Looks the targets up; may block up to about {@code timeout}, and honours interruption. */
    SourceResult discover(Duration timeout) throws DiscoveryException, InterruptedException;

    /** True when the source knows its input changed since the last lookup (watched files). */
    default boolean changed() {
        return false;
    }

    /**
     * For sources told of changes as they happen (a Kubernetes informer): they call {@code changed}
     * then, so a refresh follows within moments instead of at the next watch check. Called once,
     * before the first lookup.
     */
    default void onChange(Runnable changed) {
    }

    /** Releases what the source holds open (watches, connections); called when discovery stops. */
    default void close() {
    }
}
