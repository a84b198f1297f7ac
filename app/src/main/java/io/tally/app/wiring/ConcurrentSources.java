package io.tally.app.wiring;

import io.dropwizard.lifecycle.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The collector sources that need nothing from each other (the health prober, queue sources,
 * publishers, plug-ins' sources), managed as one: they start together, each on its own virtual
 * thread, and start-up waits for all of them. Each source bounds its own start by its timeout, so
 * start-up waits for the slowest peer's timeout rather than the sum of them all. They stop together
 * too. A source that fails to start fails start-up, as it would alone, once the others are done.
 */
final class ConcurrentSources implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(ConcurrentSources.class);

    private final List<Managed> sources = new ArrayList<>();

    /** Adds a source; sources are added while the collectors are built, before start. */
    synchronized void add(Managed source) {
        sources.add(source);
    }

    @Override
    public void start() throws Exception {
        all("start", Managed::start);
    }

    @Override
    public void stop() throws Exception {
        all("stop", Managed::stop);
    }

    private interface Step {
        void run(Managed source) throws Exception;
    }

    private void all(String what, Step step) throws Exception {
        List<Managed> each;
        synchronized (this) {
            each = List.copyOf(sources);
        }
        List<Future<Void>> running = new ArrayList<>(each.size());
        try (ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("tally-source-" + what + "-", 0).factory())) {
            for (Managed source : each) {
                Callable<Void> call = () -> {
                    step.run(source);
                    return null;
                };
                running.add(threads.submit(call));
            }
            // Closing the executor waits for every source; an interrupt here reaches them all.
        }
        Exception first = null;
        for (int i = 0; i < running.size(); i++) {
            try {
                running.get(i).get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                Exception failure = cause instanceof Exception ex ? ex : new IllegalStateException(cause);
                LOG.error("Could not {} {}: {}", what, each.get(i).getClass().getSimpleName(), cause.toString());
                if (first == null) {
                    first = failure;
                } else {
                    first.addSuppressed(failure);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
