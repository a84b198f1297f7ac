package io.tally.collectors.core.http;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One time budget for a whole exchange with a peer (name resolution, connect, TLS, request, headers,
 * body): every step waits at most what is left of it, so the steps together never outlast the
 * budget. Measured on {@link System#nanoTime()}, which is what the JDK's own timeouts use.
 */
public final class Deadline {
    private final Duration budget;
    private final long startNanos;
    private final long endNanos;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.startNanos = System.nanoTime();
        this.endNanos = startNanos + budget.toNanos();
    }

    /** A deadline {@code budget} from now. */
    public static Deadline after(Duration budget) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("a deadline needs a positive budget, not " + budget);
        }
        return new Deadline(budget);
    }

    /** The whole budget, for messages ("within 1000 ms"). */
    public Duration budget() {
        return budget;
    }

    /** What is left; zero once the deadline has passed. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    public boolean expired() {
        return endNanos - System.nanoTime() <= 0;
    }

    /** Time since the deadline was set, in seconds. */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * Runs a blocking call that does not answer interruption (an {@code InetAddress} lookup, a JNDI
     * query) on a virtual thread and waits for it at most the remaining time. On expiry the call is
     * interrupted and abandoned: it finishes on its own time, on its own thread, and its result is
     * dropped. The caller is never held past the deadline.
     *
     * @throws TimeoutException   the deadline passed first
     * @throws ExecutionException the call threw (its exception is the cause)
     */
    public <T> T await(String threadName, Callable<T> call)
            throws TimeoutException, ExecutionException, InterruptedException {
        if (expired()) {
            throw new TimeoutException("no time left");
        }
        FutureTask<T> task = new FutureTask<>(call);
        Thread.ofVirtual().name(threadName).start(task);
        try {
            return task.get(Math.max(1, endNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            task.cancel(true);
            throw e;
        }
    }
}
