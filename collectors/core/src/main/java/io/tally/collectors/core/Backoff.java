package io.tally.collectors.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait after consecutive failures: {@code initial} doubled per failure, capped at
 * {@code max}, then multiplied by a random factor in {@code [1 - jitter, 1 + jitter]} so that many
 * sources failing together do not retry together.
 *
 * @param jitter 0 to 1
 */
public record Backoff(Duration initial, Duration max, double jitter) {
    /** No wait: a failure is retried at the next interval, as for a source that has no backoff settings. */
    public static final Backoff NONE = new Backoff(Duration.ZERO, Duration.ZERO, 0);

    public Backoff {
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, not " + jitter);
        }
    }

    /** The wait after {@code failures} (at least 1) failures in a row, in milliseconds. */
    public long delayMillis(int failures) {
        return delayMillis(failures, ThreadLocalRandom.current().nextDouble());
    }

    /** The same, with the random draw ({@code [0, 1)}) given: 0.5 is the unjittered wait. */
    long delayMillis(int failures, double random) {
        // The exponent stops at 20: past it the doubling would only ever meet the cap.
        double base = initial.toMillis() * Math.pow(2, Math.min(20, failures - 1));
        double capped = Math.min(base, max.toMillis());
        return (long) (capped * (1 + jitter * (random * 2 - 1)));
    }
}
