package io.tally.collectors.core;

import java.time.Duration;

/**
 * How a background source polls its peer: every {@code interval}, each poll's calls bounded by
 * {@code timeout}, and after failures in a row waiting by {@code backoff} before trying again.
 */
public record PollSettings(Duration interval, Duration timeout, Backoff backoff) {
}
