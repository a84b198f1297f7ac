package io.tally.collectors.core.catalog;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The current target set, shared by the families: discovery publishes into it, the health prober
 * (and any other family) reads and subscribes. It lives in core so that no family depends on
 * another.
 */
public final class TargetCatalog {
    private final List<Consumer<TargetSet>> subscribers = new CopyOnWriteArrayList<>();
    private volatile TargetSet current = TargetSet.EMPTY;

    public TargetSet current() {
        return current;
    }

    /** Replaces the target set and tells every subscriber, in subscription order. */
    public void publish(TargetSet targets) {
        current = targets;
        for (Consumer<TargetSet> subscriber : subscribers) {
            subscriber.accept(targets);
        }
    }

    public void subscribe(Consumer<TargetSet> subscriber) {
        subscribers.add(subscriber);
    }
}
